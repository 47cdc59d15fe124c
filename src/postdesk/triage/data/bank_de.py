"""German sentence bank for build_corpus.py (see bank_en.py for the placeholders)."""

CORE = {
"track_package": """
Die Sendungsverfolgung für {tn} zeigt seit {n} Tagen keine Änderung.
Mein Paket hängt seit über einer Woche im Status "In Transit" fest.
In der Sendungsverfolgung steht "Label erstellt", obwohl ich das Paket am {date} am Schalter abgegeben habe.
Warum zeigt die Sendungsverfolgung keinen neuen Scan mehr an?
Seit dem {date} steht dort nur "Im regionalen Verteilzentrum angekommen" und sonst nichts.
Was bedeutet der Status "Unterwegs zur nächsten Einrichtung"? Das steht da schon seit Tagen.
Die Sendungsnummer {tn} zeigt überhaupt keine Bewegung.
Laut Tracking ist die Sendung "im Netzwerk unterwegs", aber seit dem {date} gibt es kein Update.
Mein Paket ging von {city} zurück ins vorherige Zentrum, die Scans ergeben keinen Sinn.
Der Status hat sich auf "Zustellausnahme" geändert und ich verstehe nicht, was ich tun soll.
Können Sie bitte nachsehen, wo mein Paket ist? Die Verfolgung steht seit dem {date} still.
Im Tracking steht "Zustellversuch, kein Zugang zum Lieferort", dabei war ich den ganzen Tag zu Hause.
Zu {tn} finde ich keine Informationen, auf Ihrer Seite heißt es, die Nummer existiert nicht.
Das voraussichtliche Zustelldatum verschiebt sich ständig und das Paket kommt nicht aus {city} heraus.
Der letzte Scan war "Partnerzentrum verlassen" am {date}, wie geht es jetzt weiter?
Bei mir steht "In der Filiale auf Kundenwunsch zurückgehalten", aber das habe ich nie beantragt.
Bitte prüfen Sie {tn}, der Status ist seit {n} Tagen "Warten auf Sendung".
Im Tracking steht "Weitergeleitet" und ich habe keine Ahnung, wohin.
Meine Sendung wird seit einer Woche als "unterwegs, verspätet" angezeigt.
Ich brauche eine Auskunft zu meinem Paket, die Online-Verfolgung hat sich nicht geändert.
Die Sendungsnummer vom Verkäufer zeigt nur die Vorankündigung und nichts weiter.
Wo genau befindet sich mein Paket gerade? Das letzte Ereignis ist {n} Tage alt.
Das Paket war zweimal "in Zustellung" und ging dann ohne Erklärung zurück ins Depot.
Laut Verfolgung liegt es in der Zielfiliale, wurde aber nicht zur Zustellung rausgegeben.
Der Sendungsverlauf springt zwischen zwei Sortierzentren hin und her, hängt es in einer Schleife?
Was heißt "Bearbeitungsausnahme, Sonstiges" in meiner Sendungsverfolgung?
Warum ist meine internationale Sendung {tn} schon so lange "beim Zoll"?
Mein Paket wurde am {date} in {city} gescannt und seitdem nicht mehr.
Die Trackinginfos sind von der Webseite verschwunden, vorher war das Paket in meiner Filiale.
Wie bekomme ich ein Update in der Verfolgung? Der Händler schickt mich immer zu Ihnen.
""",
"missing_package": """
Ich habe am {date} ein Paket an meine Tochter geschickt und es ist nie angekommen.
Mein Brief wurde vor {n} Tagen verschickt und ist immer noch nicht da.
Eine Geburtstagskarte mit Geld darin hat meine Mutter nie erreicht.
Ich warte auf einen Scheck, der am {date} abgeschickt wurde, und er ist nirgends.
Das Paket nach {city} ist verloren gegangen, der Empfänger hat es nie bekommen.
Es ist nichts gekommen, die Sendung, auf die ich warte, ist komplett verschwunden.
Ich möchte einen Nachforschungsauftrag für ein Paket mit {item} stellen.
Mein Paket mit {item} hätte letzte Woche ankommen sollen, ich habe nichts erhalten.
Der Umschlag mit meinen Unterlagen hat den Empfänger nie erreicht.
Ich habe {item} als Standardbrief verschickt und es scheint verschwunden zu sein.
Mein Sohn hat mir vor über zwei Wochen aus {city} ein Paket geschickt, es ist nicht da.
Die bestellten Medikamente wurden am {date} verschickt und sind nie angekommen.
Ich habe diese Woche überhaupt keine Post bekommen und mir fehlen wichtige Briefe.
Mein Scheck vom Finanzamt wurde verschickt, aber ich habe ihn nie erhalten.
Wo ist mein Paket? Es hätte vor {n} Tagen hier sein sollen und ist es nicht.
Die Sendung ist nicht angekommen und der Absender sagt, sie ging am {date} raus.
Ein Brief meiner Bank kam nie an, obwohl er verschickt worden sein soll.
Der Mietscheck an meinen Vermieter ist nicht angekommen.
Mir fehlt ein Paket mit {item}, können Sie mir helfen, es zu finden?
Zwei Pakete aus derselben Bestellung sind nie angekommen.
Der Absender hat es vor {n} Tagen verschickt und ich habe immer noch nichts.
Meine Weihnachtsgeschenke nach {city} sind noch nicht angekommen.
Ich habe letzte Woche eine Hilfeanfrage gestellt und mein verlorenes Paket ist immer noch nicht aufgetaucht.
Bitte helfen Sie mir, einen verlorenen Umschlag vom {date} zu finden.
Ein Paket mit {item} ist irgendwo zwischen {city} und hier verschwunden.
Der Empfänger sagt, er hat meinen Brief nie bekommen.
Meine neue Bankkarte ist nie angekommen.
Ich warte immer noch auf meine neue Kreditkarte, die vor {n} Tagen verschickt wurde.
Unsere Hochzeitseinladungen wurden verschickt und mehrere Gäste haben sie nie erhalten.
Ich habe mein Handy zur Reparatur geschickt und es ist nie beim Service angekommen.
""",
"delivery_issue": """
Meine Post wird ständig an die falsche Adresse zugestellt.
Ich habe heute schon wieder die Post meines Nachbarn bekommen, das passiert jede Woche.
Der Zusteller hat mein Paket im Regen stehen lassen und alles ist nass geworden.
Laut Sendungsverfolgung zugestellt, aber ich habe das Paket nie bekommen, es ist nicht vor meiner Tür.
In unserer Straße wurde seit {n} Tagen keine Post zugestellt.
Der Briefträger hat unser Haus schon wieder ausgelassen, obwohl der Briefkasten frei ist.
Pakete werden einfach über meinen Zaun geworfen und liegen im Garten.
Der Bote hat eine Benachrichtigung eingeworfen, ohne zu klingeln, ich war zu Hause.
Meine Post kommt immer erst spät abends oder gar nicht.
Das Paket wurde angeblich in eine Packstation gelegt, aber das Fach ist leer.
Bei mir werden ständig die Pakete von anderen Leuten abgelegt.
Meine Post landete im falschen Briefkasten in unserem Mehrfamilienhaus.
Der Zusteller hat beim Zurücksetzen mit dem Wagen meinen Briefkasten beschädigt.
Das Paket wurde an ein Haus drei Straßen weiter geliefert.
Post wird noch an meine alte Adresse geliefert, obwohl ich jetzt hier wohne.
Der Karton wurde draußen vor dem Gebäude abgestellt, wo ihn jeder mitnehmen kann.
Samstags bekomme ich seit einiger Zeit gar keine Post mehr.
Der Zusteller hat mein Paket in den Briefkasten des Nachbarn gesteckt.
Mein Paket wurde zugestellt, aber es war zerdrückt und lag offen auf der Treppe.
Wir bekommen jeden Tag Post für den Vormieter.
Laut Zustellung "an der Haustür abgelegt", aber ich wohne in einer Wohnung mit verschlossenem Eingang.
Das Postauto kommt bei uns auf dem Land nie vor 20 Uhr.
Unsere Briefkastenanlage ist seit Wochen kaputt und niemand stellt dort Post zu.
Briefe an mich gehen als unzustellbar an den Absender zurück, obwohl meine Adresse stimmt.
Der Zusteller vermerkt "kein Zugang", ohne überhaupt zu versuchen, zu liefern.
Ich habe ein Foto von der Zustellung bekommen und das ist nicht mein Haus.
Meine Pakete werden bei der Hausverwaltung abgegeben, obwohl ich Zustellung an die Tür möchte.
Unsere Post ist nass geworden, weil der Zusteller die Briefkastentür offen gelassen hat.
Wichtige Briefe kommen jedes Mal eine Woche zu spät.
Der Briefträger hat ein Einschreiben ohne meine Unterschrift abgegeben.
Die Post wurde schon wieder in die falsche Wohnung gebracht.
Unser Zusteller liefert nicht, wenn ein Auto vor dem Briefkasten parkt.
Mein Paket wurde an der falschen Tür abgelegt und der Nachbar hat es geöffnet.
""",
"claim_refund": """
Ich möchte einen Schaden für ein beschädigt angekommenes Paket melden.
Das versicherte Paket kam an und es fehlten Teile, wie bekomme ich eine Erstattung?
Ich habe für Priority Mail Express bezahlt und es kam zu spät, ich möchte das Porto zurück.
Ich beantrage die Erstattung für ein Versandetikett, das ich gedruckt, aber nie benutzt habe.
Mein Schadensantrag für {tn} wurde abgelehnt und ich möchte Widerspruch einlegen.
Wie ist der Stand meines Versicherungsfalls vom {date}?
Der Inhalt war kaputt, als der Karton ankam, er war mit {amt} versichert.
Mir wurde dasselbe Click-N-Ship-Etikett zweimal berechnet, bitte erstatten Sie eins.
Der Karton war geöffnet und {item} wurde herausgenommen, ich möchte einen Schaden melden.
Wie viel Entschädigung bekomme ich für ein verlorenes versichertes Paket im Wert von {amt}?
Ich möchte mein Geld zurück, weil die Garantie von Priority Mail Express nicht eingehalten wurde.
{item} kam völlig zerbrochen an, ich hatte eine Versicherung abgeschlossen und will das geltend machen.
Bitte erstatten Sie {amt} Porto für ein Paket, das Sie nie zugestellt haben.
Ich habe vor {n} Tagen einen Schaden gemeldet und nichts mehr gehört.
Der Empfänger sagt, der Karton war leer, wie starte ich einen Antrag auf Entschädigung?
Die Auszahlung meines Schadensfalls ist nicht angekommen, obwohl er genehmigt wurde.
Welche Unterlagen brauche ich, um einen Schaden an einer Sendung zu melden?
Kann ich eine Erstattung für eine verlorene Postanweisung bekommen?
Der Automat hat mir {amt} abgebucht, aber kein Etikett gedruckt, das möchte ich zurück.
Am Schalter wurde mir zu viel berechnet, {amt} statt des ausgeschriebenen Preises.
Das Einschreiben ist verloren gegangen und ich möchte die Versicherungssumme ausgezahlt bekommen.
Auf Ihrer Webseite steht, dass man bis 60 Tage nach Versand reklamieren kann, ich bin bei Tag {n}, bitte helfen Sie.
Bei {item} war das Display gesprungen und der Karton zerdrückt, ich will Schadensersatz.
Ich brauche eine Rückerstattung der Postfachgebühr, die nach der Kündigung noch abgebucht wurde.
Mein Antrag wurde geschlossen, weil angeblich kein Wertnachweis vorlag, aber ich habe die Quittung geschickt.
Das Paket war versichert, aber das Formular für die Schadensmeldung zeigt immer einen Fehler.
Ich habe für die Unterschriftsbestätigung bezahlt und niemand hat unterschrieben, bekomme ich die Gebühr zurück?
Ich möchte eine Entschädigung für den beschädigten Inhalt meines Pakets.
Die Erstattung für meine unbenutzten Etiketten ist immer noch nicht auf meiner Karte gutgeschrieben.
Ich möchte die Entscheidung über meinen Schadensfall über {amt} anfechten.
""",
"feedback_complaint": """
Ich möchte mich über den unfreundlichen Mitarbeiter in der Filiale in {city} beschweren.
Unsere Zustellerin ist wunderbar und ich möchte mich für ihren tollen Service bedanken.
Die Schlange in der Filiale war über eine Stunde lang und nur ein Schalter war offen.
Der Briefträger hat mich angeschrien und war sehr unprofessionell.
Ich möchte eine Rückmeldung geben, wie schlecht mit meinem Paket umgegangen wurde.
Ihr Mitarbeiter war heute sehr hilfsbereit, bitte richten Sie meinen Dank aus.
Der Vorraum der Filiale ist schmutzig und der Automat ist seit Monaten defekt.
Das Postauto fährt jeden Tag über meinen Rasen und hat ihn ruiniert.
Die Mitarbeiterin am Schalter wollte mir nicht helfen und hat die Augen verdreht.
Ich bin sehr enttäuscht vom Service in meiner Filiale.
Unser Zusteller gibt sich immer besonders viel Mühe, er verdient ein Lob.
Der Filialleiter hat einfach aufgelegt, als ich angerufen habe.
Ich möchte eine offizielle Beschwerde über die Behandlung einreichen, die ich erfahren habe.
Der Zusteller raucht bei der Arbeit und wirft die Kippen in meinen Garten.
Ihre Webseite ist unübersichtlich und ich habe nicht gefunden, was ich gesucht habe.
Die Mitarbeiterin war die ganze Zeit am Handy und hat die Kunden ignoriert.
In Ihrer Hotline war ich 90 Minuten in der Warteschleife.
Die Filiale hat ohne Aushang früher geschlossen.
Ich möchte das Team in {city} loben, weil es meinen verlorenen Brief gefunden hat.
Der Zusteller rast immer durch unsere Straße, obwohl hier Kinder spielen.
Der Service ist im letzten Jahr immer schlechter geworden.
Ich habe genug von dem Ton, den ich jedes Mal am Schalter erlebe.
Danke an den Briefträger, der gemerkt hat, dass meine ältere Nachbarin gestürzt war, und Hilfe geholt hat.
Der Postmitarbeiter hat beleidigende Bemerkungen gemacht.
In meiner Filiale geht niemand ans Telefon, es klingelt endlos.
Ein Vorschlag: Bitte schaffen Sie mehr Parkplätze an der Filiale in {city}.
Der Mitarbeiter hat mir falsche Auskünfte zum Versand nach Kanada gegeben und war dabei unhöflich.
Unser Zusteller hat meinen Kindern eine nette Nachricht hinterlassen, das hat uns sehr gefreut.
Die App stürzt ständig ab und ich möchte melden, wie ärgerlich das ist.
Ich möchte loben, wie das Personal den Weihnachtsansturm bewältigt hat.
Ein großes Dankeschön an unsere Zustellerin, sie ist die Beste und immer freundlich.
Vielen Dank an den Mitarbeiter, der mir beim Verpacken so geduldig geholfen hat.
Lob an das ganze Team meiner Filiale, ihr macht das super.
Ich möchte einfach sagen, dass der Service in letzter Zeit hervorragend ist.
Der Briefträger war unfreundlich, als ich ihn etwas zu meiner Post gefragt habe.
""",
"delivery_services": """
Ich möchte meine Post während meines Urlaubs ab dem {date} lagern lassen.
Wie ändere ich meine Adresse? Ich ziehe nächsten Monat nach {city}.
Ich brauche einen Nachsendeauftrag an eine vorübergehende Adresse für den Sommer.
Ich möchte ein Postfach mieten, welche Größen und Preise gibt es?
Ich habe den Schlüssel für mein Postfach verloren, wie bekomme ich einen neuen?
Können Sie eine neue Zustellung für das Paket vereinbaren, das ich heute verpasst habe?
Was kostet es, ein Paket mit 2 kg nach {city} zu schicken?
Was ist der günstigste Weg, ein Paket ins Ausland zu schicken?
Kann ich eine kostenlose Paketabholung bei mir zu Hause buchen?
Ich möchte eine Sendung stoppen und an mich zurückschicken lassen.
Mein Adressänderungsantrag ist nach zwei Wochen immer noch nicht aktiv.
Wie lange können Sie meine Post zurückhalten? Ich bin drei Wochen weg.
Darf ich {item} mit der Post verschicken?
Ich muss meine Postlagerung bis zum {date} verlängern.
Bitte beenden Sie meinen Nachsendeauftrag, ich bin zurückgezogen.
Was ist der Unterschied zwischen Priority Mail und Ground Advantage?
Ich möchte mein Postfach online verlängern, aber die Seite lässt mich nicht.
Kann ich mein Paket in der Filiale abholen statt es liefern zu lassen?
Wie verschicke ich ein Paket mit Unterschriftsbestätigung?
Ich möchte die Lieferadresse einer Sendung ändern, die schon unterwegs ist.
Kann meine Post statt an die Wohnadresse an mein Postfach gehen?
Liefern Sie auch an eine Paketstation in meiner Nähe?
Ich brauche Versandkartons, bekomme ich die kostenlos?
Wie verschicke ich Lithium-Batterien ins Ausland?
Meine Postlagerung ist abgelaufen, aber die Post wurde noch nicht zugestellt.
Ich möchte einen Premium-Nachsendeservice für mein Ferienhaus einrichten.
Wie bestätige ich meine Identität für eine Adressänderung?
Welche Größenbeschränkungen gibt es für Priority Mail Express?
Kann ich ein Paket in meinen Briefkasten legen, damit der Zusteller es mitnimmt?
Ich möchte den Namen meiner neuen Mitbewohnerin am Briefkasten ergänzen lassen.
""",
"informed_delivery": """
Ich kann mich nicht in mein USPS-Konto einloggen, es heißt, mein Passwort sei falsch.
Meine Informed-Delivery-E-Mails kommen seit einer Woche nicht mehr.
Informed Delivery zeigt Briefe an, die nie ankommen.
Ich habe keinen Bestätigungscode bekommen, um mein Konto fertig einzurichten.
Mein Konto ist nach zu vielen Anmeldeversuchen gesperrt.
Ich möchte die E-Mail-Adresse in meinem Online-Konto ändern.
Im Informed-Delivery-Dashboard werden keine Bilder meiner Post angezeigt.
Wie melde ich mich für Informed Delivery an? Die Identitätsprüfung ist fehlgeschlagen.
Ich habe meinen Benutzernamen vergessen und der Link zum Zurücksetzen funktioniert nicht.
Ich bekomme Informed-Delivery-Benachrichtigungen für den Vormieter.
Bitte löschen Sie mein Online-Konto und alle meine Daten.
Der Code für die Zwei-Faktor-Anmeldung kommt nie auf meinem Handy an.
Informed Delivery sagt, meine Adresse sei nicht berechtigt.
Ich bekomme eine Fehlermeldung, wenn ich mich auf usps.com anmelden will.
Die tägliche Übersichtsmail zeigt Post für jemand anderen.
Mein Paket erscheint nicht im Informed-Delivery-Dashboard.
Ich kann mit der Sendungsnummer kein Paket zu meinem Konto hinzufügen.
Ich habe einen Einladungscode per Post zur Identitätsprüfung angefordert und er kam nie.
Wie schalte ich die SMS-Benachrichtigungen von Informed Delivery ab?
In meinem Konto steht die falsche Adresse und ich kann sie nicht bearbeiten.
Ich habe mein Passwort geändert, aber die App lässt mich trotzdem nicht rein.
Die Informed-Delivery-App meldet ständig "Etwas ist schiefgelaufen".
Jemand hat ein Konto mit meiner Adresse angelegt, wie entferne ich das?
Ich brauche Hilfe, zwei Online-Konten zusammenzuführen.
Die eingescannten Bilder in meiner Tagesübersicht sind leer.
Ich bekomme die E-Mail-Benachrichtigungen nicht, die ich in meinem Konto eingestellt habe.
Warum steht bei meinem Geschäftskonto, dass die Prüfung noch aussteht?
Die Mail zum Zurücksetzen des Passworts geht an eine alte Adresse, auf die ich keinen Zugriff habe.
Die Anmeldeseite lädt einfach neu, jedes Mal wenn ich meine Zugangsdaten eingebe.
Seit meinem Umzug zeigt Informed Delivery keine Paketbenachrichtigungen mehr.
Trotz Bestätigungsbrief komme ich nicht in mein Online-Konto.
Bei der Registrierung heißt es, meine E-Mail-Adresse wird schon verwendet.
Die Vorschau in Informed Delivery zeigt Briefe für den Vorbesitzer des Hauses.
""",
"general": """
Wie sind die Öffnungszeiten der Filiale am Samstag?
Was kostet eine Forever-Briefmarke jetzt?
Wie vereinbare ich einen Termin für einen Reisepass?
Kann ich eine Postanweisung mit Kreditkarte bezahlen?
Ich möchte wissen, wie ich mich bei der Post bewerben kann.
Welche Postleitzahl hat diese Adresse in {city}?
Ich habe eine SMS bekommen, dass mein Paket festgehalten wird, ist das Betrug?
Verkaufen Sie vorfrankierte Umschläge am Schalter?
Wo ist die nächste Filiale, die sonntags geöffnet hat?
Hat die Post am Feiertag geöffnet?
Wie bekomme ich eine Kopie einer Quittung vom letzten Monat?
Kann ich in der Filiale ein Fax verschicken?
Ich möchte Briefmarken online bestellen, finde aber die Sammlersets nicht.
Was muss ich mitbringen, um meinen Reisepass zu verlängern?
Verkaufen Sie auch eine Versicherung für Briefe?
Wie werde ich Zusteller auf dem Land?
Nehmen Sie Bargeld für internationale Postanweisungen?
Wo finde ich die Leerungszeiten für den Briefkasten in meiner Straße?
Wie melde ich eine verdächtige E-Mail, die angeblich von Ihnen stammt?
Kann ich über die Post Briefmarken an eine Hilfsorganisation spenden?
Ich habe eine Frage zum Versand an eine Militäradresse (APO).
Wie bekomme ich einen neuen Briefkasten für mein Haus genehmigt?
Können Sie mir sagen, ob meine Straße in Ihrem Zustellgebiet liegt?
Ich habe eine Geldbörse in meinem Briefkasten gefunden, was soll ich tun?
Wie kann ich keine Werbepost mehr bekommen?
Ich schreibe ein Schulprojekt über die Post, mit wem kann ich sprechen?
Verkaufen Postfilialen Geschenkkarten?
Ich habe einen Brief bekommen, der weder für mich noch für meine Adresse ist, was mache ich damit?
Wie bekomme ich eine Genehmigung für Massensendungen für meine Firma?
Wie lautet die Telefonnummer meiner örtlichen Filiale?
Ich habe eine E-Mail bekommen, dass ich eine Gebühr zahlen soll, damit mein Paket freigegeben wird, ist das echt?
Eine SMS sagt, ich soll über einen Link meine Adresse für eine Zustellung bestätigen, ich glaube, das ist Betrug.
Kann ich am Schalter Briefmarken mit Apple Pay bezahlen?
Wie viel Porto brauche ich für einen großen Umschlag nach Kanada?
Stellen Sie für die Feiertage Aushilfen ein?
""",
}

DETAILS = {
"track_package": """
Der Verkäufer sagt, es wurde am {date} übergeben.
Ich habe heute Morgen nochmal nachgesehen und es hat sich nichts geändert.
Im Paket ist {item}.
Es wurde in {city} aufgegeben.
Ich habe die empfohlene Wartezeit schon abgewartet.
Ich habe in der Filiale angerufen, aber niemand konnte mir etwas sagen.
Die Sendungsnummer lautet {tn}.
Die Zustellung sollte bis zum {date} erfolgen.
""",
"missing_package": """
Es wurde am {date} in {city} verschickt.
Die Adresse war richtig, ich habe sie zweimal geprüft.
Der Inhalt ist etwa {amt} wert.
Ich habe keine Sendungsnummer, es war ein normaler Brief.
Die Absenderin ist meine Oma und sie macht sich große Sorgen.
Ich habe bei den Nachbarn gefragt, niemand hat es.
Darin war {item}.
Die Sendungsnummer, falls es hilft, ist {tn}.
""",
"delivery_issue": """
Das ist diesen Monat schon mindestens {n} Mal passiert.
Meine Adresse steht deutlich am Haus.
Ich habe ein Foto, wo das Paket abgelegt wurde.
Im Paket war {item}.
Unser Briefkasten ist mit unseren Namen beschriftet.
Ich habe es dem Zusteller schon persönlich gesagt, aber nichts hat sich geändert.
Die Sendungsnummer vom letzten Mal ist {tn}.
Am {date} ist es wieder passiert.
""",
"claim_refund": """
Ich habe Fotos vom beschädigten Karton und vom Inhalt.
Laut Quittung habe ich {amt} bezahlt.
Es wurde am {date} verschickt.
Die Sendungsnummer ist {tn}.
Ich habe die ganze Verpackung wie gefordert aufbewahrt.
Es handelte sich um {item}.
Ich habe die Originalquittung der Versicherung.
Die Schadensnummer steht in meinem Konto.
""",
"feedback_complaint": """
Das war am {date} gegen Mittag.
Ich bin seit über zwanzig Jahren Kunde.
Ich bin nicht die Einzige, den Nachbarn ist es auch aufgefallen.
Ich hoffe, jemand liest das.
Den Namen habe ich nicht, aber es war die Frau an Schalter 2.
Bitte leiten Sie das an die zuständige Leitung weiter.
Es war in der Filiale in {city}.
Über eine Antwort würde ich mich freuen.
""",
"delivery_services": """
Meine neue Adresse ist in {city}.
Ich bin ab dem {date} weg.
Das Paket wiegt etwa 1,5 kg.
Am liebsten würde ich das online erledigen.
Ich ziehe mit der ganzen Familie um.
Die Nummer der Benachrichtigungskarte steht auf dem Zettel.
Es ist für mein kleines Geschäft.
Bitte sagen Sie mir, welche Möglichkeiten es gibt.
""",
"informed_delivery": """
Ich habe schon die Cookies im Browser gelöscht.
Ich benutze die App auf dem Handy.
Mein Benutzername ist meine E-Mail-Adresse.
Ich habe mich vor etwa einem Monat registriert.
Das fing nach dem letzten App-Update an.
Ich habe drei verschiedene Browser probiert.
Am Laptop komme ich noch rein, am Handy nicht.
Ich habe mein Passwort schon zweimal zurückgesetzt.
""",
"general": """
Vielen Dank im Voraus für die Information.
Auf Ihrer Webseite habe ich keine Antwort gefunden.
Ich wohne in {city}.
Ich muss es vor dem {date} wissen.
Es ist für meinen älteren Vater.
Die Webseite war dazu nicht eindeutig.
Eine kurze Antwort wäre toll.
Ich habe versucht anzurufen, bin aber nicht durchgekommen.
""",
}

URGENT = """
passport|missing_package|Ich habe meinen Reisepassantrag vor {n} Wochen abgeschickt und er ist nie bei der Passbehörde angekommen.
passport|missing_package|Mein Reisepass wurde mir per Post zurückgeschickt und ist verloren gegangen, ich reise nächste Woche.
passport|missing_package|Der Umschlag mit meinen Passunterlagen und der Geburtsurkunde ist verschwunden.
passport|track_package|Meine Sendung {tn} mit dem Passantrag hängt seit {n} Tagen fest, mein alter Pass ist darin.
passport|missing_package|Das Amt sagt, mein neuer Reisepass wurde am {date} verschickt, aber ich habe ihn nie erhalten.
passport|missing_package|Der Passantrag meines Kindes ist nicht auffindbar, er wurde in der Filiale abgegeben und ist weg.
express_failing|track_package|Meine Priority-Mail-Express-Sendung {tn} war garantiert bis heute Mittag und ist immer noch nicht in Zustellung.
express_failing|delivery_issue|Der Expressbrief muss heute zugestellt werden und der Bote hat gerade "kein Zugang" vermerkt.
express_failing|track_package|Ich habe für Zustellung über Nacht bezahlt, es muss heute Nachmittag ankommen und das Tracking bewegt sich seit gestern Abend nicht.
express_failing|delivery_issue|Unsere Expresssendung mit Vertragsunterlagen sollte heute bis 10:30 Uhr da sein und ist es nicht.
express_failing|track_package|Das Expresspaket mit Medikamenten muss heute Abend ankommen, aber laut Tracking ist es noch in {city}.
notarisation|general|Ich muss heute Dokumente notariell beglaubigen lassen, kann das jemand in der Filiale machen?
notarisation|general|Meine Unterlagen brauchen eine Beglaubigung vom Notar und Compliance-Unterlagen, bevor ich sie verschicken kann.
notarisation|general|Wo bekomme ich eine Apostille und beglaubigte Kopien für Dokumente, die ich ins Ausland schicken muss?
notarisation|general|Die Bank sagt, meine Konformitätsunterlagen müssen vor dem Versand notariell beglaubigt werden, können Sie helfen?
legal_deadline|missing_package|Ich habe morgen eine Frist beim Gericht und die Unterlagen, die ich geschickt habe, sind nicht angekommen.
legal_deadline|track_package|Mein Anwalt braucht den unterschriebenen Vertrag bis morgen und die Sendung {tn} bewegt sich nicht.
legal_deadline|delivery_issue|Die Antwort auf die Klage muss heute beim Gericht sein und wurde an die falsche Adresse zugestellt.
legal_deadline|missing_package|Meine Steuererklärung muss heute beim Finanzamt sein und der Umschlag von gestern kam zurück.
legal_deadline|track_package|Die Unterlagen für die Ausländerbehörde müssen morgen da sein und das Paket hängt in {city} fest.
"""

NEAR_MISS = """
general|Wie bekomme ich in meiner Filiale einen Termin für den Reisepass?
general|Was kostet ein Passfoto in der Filiale?
claim_refund|Meine Priority-Mail-Express-Sendung kam letzte Woche zu spät, ich möchte das Porto erstattet haben.
delivery_services|Was kostet Priority Mail Express über Nacht nach {city}?
general|Verkaufen Sie Umschläge für Einschreiben mit Rückschein?
delivery_issue|Ein Brief vom Gericht wurde letzten Monat bei meinem Nachbarn zugestellt.
general|Gibt es eine Frist, bis wann ich Briefmarken vor der Preiserhöhung kaufen sollte?
delivery_services|Ich möchte meinen Passantrag mit Priority Mail schicken, welcher Service ist am besten?
"""

OTHER_CARRIER = """
track_package|Können Sie mir sagen, wo mein Paket {ups} ist? Die Verfolgung zeigt nichts.
track_package|Meine Sendungsnummer {ups} funktioniert auf Ihrer Seite nicht.
missing_package|Der Verkäufer hat meine Bestellung mit {ups} verschickt und sie ist nie angekommen.
track_package|Ich habe die Nummer {ups} und der Status ändert sich seit Tagen nicht.
"""

GREETINGS = """
Hallo,
Guten Tag,
Sehr geehrte Damen und Herren,
Guten Morgen,
Hallo zusammen,
Sehr geehrtes Team,
Liebes Postteam,
Hi,
Moin,
Grüß Gott,
"""

OPENERS = """
Ich hoffe, Sie können mir helfen.
Ich schreibe Ihnen, weil ich ein Problem habe.
Ich habe eine Frage.
Ich habe schon alles andere versucht, deshalb schreibe ich Ihnen.
Das ist meine zweite Nachricht zu diesem Thema.
Ich brauche bitte Hilfe.
Entschuldigen Sie die Störung.
Ich wende mich wegen folgender Angelegenheit an Sie.
"""

EMOTIONS = """
Das ist wirklich ärgerlich.
Ich bin darüber sehr verärgert.
Ich wäre Ihnen für Ihre Hilfe sehr dankbar.
Bitte helfen Sie mir, das ist mir wichtig.
Ich mache mir ziemliche Sorgen.
Ehrlich gesagt ist das inakzeptabel.
Ich weiß nicht mehr weiter.
"""

CLOSINGS = """
Vielen Dank,
Danke,
Mit freundlichen Grüßen,
Viele Grüße,
Beste Grüße,
Danke für Ihre Hilfe,
Freundliche Grüße,
LG,
"""

SUBJECTS = {
"track_package": "Sendungsverfolgung aktualisiert nicht|Frage zur Sendungsverfolgung|Wo ist mein Paket?|Tracking hängt|Frage zum Status",
"missing_package": "Paket fehlt|Brief nie angekommen|Verlorene Post|Paket nicht erhalten|Fehlende Sendung",
"delivery_issue": "Problem bei der Zustellung|Falsch zugestellt|Zustellproblem|Paket draußen abgelegt|Keine Post",
"claim_refund": "Schadensmeldung|Erstattung|Beschädigtes Paket|Rückerstattung|Versicherungsfall",
"feedback_complaint": "Beschwerde|Rückmeldung|Dankeschön|Beschwerde über Mitarbeiter|Feedback zum Service",
"delivery_services": "Postlagerung|Adressänderung|Frage zum Postfach|Neue Zustellung|Frage zum Versand",
"informed_delivery": "Problem mit dem Konto|Informed Delivery|Anmeldung geht nicht|Login-Problem|Hilfe mit dem Konto",
"general": "Frage|Allgemeine Frage|Information|Anfrage|Kurze Frage",
}

ITEMS = "ein Laptop|Medikamente|ein Geburtstagsgeschenk|Dokumente|ein Handy|Bücher|Kleidung|eine Uhr|Fotos|ein Scheck|Vitamine|Autoteile"
CITIES = "Chicago|Denver|Houston|Miami|Seattle|Atlanta|Phoenix|Boston|Dallas|Portland|San Diego|Newark"
DATES = "3. September|12. Oktober|letzten Montag|5. März|2. November|14. Januar|20.|9. Mai|30. Juni|03.09."
NAMES = "Hans Müller|Anna Schmidt|Jürgen K.|Petra|Klaus Becker|Sabine W.|Thomas Wagner|Monika|M. Schulz|Lena Hoffmann"
