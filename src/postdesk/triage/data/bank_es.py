"""Spanish sentence bank for build_corpus.py (see bank_en.py for the placeholders)."""

CORE = {
"track_package": """
El rastreo de {tn} no se ha actualizado en {n} días.
Mi paquete lleva más de una semana atascado "En tránsito" y el seguimiento no cambia.
El seguimiento dice "Etiqueta creada" pero lo entregué en el mostrador el {date}.
¿Por qué mi rastreo sigue diciendo que llega tarde sin ningún escaneo nuevo?
Desde el {date} sólo aparece "Llegó al centro regional" y nada más.
¿Qué significa "En tránsito a la siguiente instalación"? Lleva días diciendo eso.
El número de seguimiento {tn} no muestra ningún movimiento.
Según el rastreo el envío está "en la red", pero no hay novedades desde el {date}.
Mi paquete volvió de {city} al centro anterior, los escaneos no tienen sentido.
El estado cambió a "Excepción de entrega" y no entiendo qué debo hacer.
¿Pueden revisar dónde está mi paquete? El seguimiento está congelado desde el {date}.
El rastreo dice "Intento de entrega, sin acceso al lugar" pero estuve en casa todo el día.
No encuentro ninguna información de {tn}, su página dice que el número no existe.
La fecha estimada de entrega cambia todo el tiempo y el paquete no sale de {city}.
El último escaneo fue "Salió de la instalación del socio" el {date}, ¿qué pasa ahora?
Mi seguimiento dice "Retenido en la oficina a petición del cliente" pero yo nunca lo pedí.
Por favor revisen {tn}, el estado lleva {n} días en "Esperando el artículo".
El rastreo dice "Reenviado" y no tengo idea de adónde fue.
Mi envío aparece como "En tránsito, llegará tarde" desde hace una semana.
Necesito información de mi paquete, el seguimiento en línea no ha cambiado.
El número de rastreo que me dio el vendedor no pasa de la etapa de preenvío.
¿Dónde está exactamente mi paquete ahora? El último evento tiene {n} días.
El paquete estuvo "En reparto" dos veces y luego volvió a la estación sin explicación.
El rastreo dice que está en la oficina de destino pero no lo han sacado a reparto.
El historial de seguimiento salta entre dos centros de clasificación, ¿está dando vueltas?
¿Qué significa "Excepción de procesamiento, otro" en mi rastreo?
Quisiera saber por qué mi paquete internacional {tn} lleva tanto tiempo "en aduana".
Mi paquete fue escaneado en {city} el {date} y desde entonces nada.
La información de rastreo desapareció de la página, antes mostraba el paquete en mi oficina local.
¿Cómo hago para que se actualice el seguimiento? El vendedor me sigue mandando con ustedes.
""",
"missing_package": """
Envié un paquete a mi hija el {date} y nunca llegó.
Mi carta se envió hace {n} días y todavía no ha llegado.
Una tarjeta de cumpleaños con dinero nunca le llegó a mi madre.
Estoy esperando un cheque que se envió el {date} y no aparece.
El paquete que mandé a {city} se perdió, el destinatario nunca lo recibió.
No ha llegado nada, la caja que espero desapareció por completo.
Quisiera abrir una búsqueda de correo perdido para un paquete con {item}.
Mi paquete con {item} debía llegar la semana pasada y no he recibido nada.
El sobre con mis documentos nunca llegó al destinatario.
Mandé {item} por correo normal y parece que desapareció.
Mi hijo me mandó un paquete desde {city} hace más de dos semanas y no está aquí.
Los medicamentos que pedí se enviaron el {date} y nunca aparecieron.
No he recibido nada de correo esta semana y me faltan cartas importantes.
El cheque de mi reembolso de impuestos se envió pero nunca lo recibí.
¿Dónde está mi paquete? Debió llegar hace {n} días y no ha llegado.
El paquete no llegó y el remitente dice que salió el {date}.
Una carta de mi banco nunca llegó aunque dicen que la enviaron.
El cheque del alquiler que le mandé al dueño no ha llegado.
Me falta un paquete que contiene {item}, ¿me pueden ayudar a encontrarlo?
Dos paquetes del mismo pedido nunca llegaron.
Ya pasaron {n} días desde que el remitente lo envió y sigo sin nada.
Mis regalos de Navidad enviados a {city} todavía no han llegado.
Hice una solicitud de ayuda la semana pasada y mi paquete perdido sigue sin aparecer.
Por favor ayúdenme a localizar un sobre perdido enviado el {date}.
Un paquete con {item} se perdió en algún lugar entre {city} y aquí.
El destinatario dice que nunca recibió la carta que le envié.
Mi nueva tarjeta del banco nunca llegó.
Sigo esperando mi nueva tarjeta de crédito que enviaron hace {n} días.
Enviamos las invitaciones de boda y varios invitados nunca las recibieron.
Mandé mi teléfono a reparar y nunca llegó al centro de servicio.
""",
"delivery_issue": """
Mi correo siempre lo entregan en la dirección equivocada.
Hoy otra vez recibí el correo de mi vecino, pasa todas las semanas.
El cartero dejó mi paquete bajo la lluvia y todo se mojó.
El rastreo dice entregado pero nunca recibí el paquete, no está en mi puerta.
En nuestra calle no han repartido correo desde hace {n} días.
El cartero se saltó nuestra casa otra vez aunque el buzón está libre.
Tiran los paquetes por encima de la cerca y quedan en el jardín.
El repartidor dejó un aviso sin tocar la puerta, yo estaba en casa.
Mi correo llega siempre muy tarde en la noche o no llega.
El paquete figura como entregado en un casillero pero está vacío.
En mi puerta siguen dejando paquetes de otras personas.
Pusieron mi correo en el buzón equivocado de mi edificio.
El cartero dañó mi buzón al dar marcha atrás con el camión.
Entregaron el paquete en una casa a tres cuadras de la mía.
Siguen entregando correo en mi dirección anterior aunque ahora vivo aquí.
Dejaron la caja afuera del edificio donde cualquiera se la puede llevar.
Ya no recibo correo los sábados.
El cartero metió mi paquete en el buzón del vecino.
Entregaron mi paquete pero estaba aplastado y abierto en las escaleras.
Recibimos correo del inquilino anterior todos los días.
La entrega dice "dejado en la puerta principal" pero vivo en un departamento con la entrada cerrada.
El camión del correo nunca pasa por nuestra ruta rural antes de las 8 de la noche.
Nuestros buzones comunitarios están rotos hace semanas y nadie reparte ahí.
Las cartas para mí vuelven al remitente como no entregables aunque mi dirección es correcta.
El cartero marca "sin acceso" sin intentar entregar.
Me llegó una foto de la entrega y no es mi casa.
Dejan mis paquetes en la administración aunque pedí que los entreguen en la puerta.
Nuestro correo se mojó porque el cartero dejó abierta la puerta del buzón.
Las cartas importantes llegan con una semana de retraso cada vez.
El cartero entregó una carta certificada sin pedir mi firma.
Otra vez entregaron el correo en el departamento equivocado.
Nuestro cartero no entrega si hay un carro estacionado frente al buzón.
Dejaron mi paquete en la puerta equivocada y el vecino lo abrió.
""",
"claim_refund": """
Quiero presentar un reclamo por un paquete que llegó dañado.
El paquete asegurado llegó con artículos faltantes, ¿cómo me reembolsan?
Pagué Priority Mail Express y llegó tarde, quisiera el reembolso del franqueo.
Solicito el reembolso de una etiqueta de envío que imprimí pero nunca usé.
Rechazaron mi reclamación de {tn} y quiero apelar.
¿Cuál es el estado de mi reclamo de seguro presentado el {date}?
El contenido estaba roto cuando llegó la caja, estaba asegurado por {amt}.
Me cobraron dos veces la misma etiqueta de Click-N-Ship, por favor reembolsen una.
La caja venía abierta y sacaron {item}, quiero hacer un reclamo.
¿Cuánta indemnización me corresponde por un paquete asegurado perdido que valía {amt}?
Quiero que me devuelvan el dinero porque no se cumplió la garantía de Priority Mail Express.
{item} que envié llegó hecho pedazos, compré seguro y necesito reclamar.
Por favor reembolsen {amt} del franqueo de un paquete que nunca entregaron.
Presenté un reclamo por daños hace {n} días y no he sabido nada.
El destinatario dice que la caja llegó vacía, ¿cómo inicio un reclamo?
El pago de mi reclamo no ha llegado aunque lo aprobaron.
Necesito saber qué documentos hacen falta para reclamar por un artículo dañado.
¿Me pueden reembolsar un giro postal que se perdió?
La máquina de franqueo me cobró {amt} pero no imprimió la etiqueta, quiero que me lo devuelvan.
En el mostrador me cobraron de más, {amt} en lugar del precio publicado.
Se perdió la carta registrada y quiero el pago del seguro.
Su página dice que puedo reclamar hasta 60 días después del envío, voy por el día {n}, ayúdenme a presentarlo.
{item} llegó con la pantalla rota y la caja aplastada, quiero una compensación.
Necesito el reembolso de la cuota del apartado postal que me cobraron después de cerrarlo.
Cerraron mi reclamo diciendo que no di prueba del valor pero mandé el recibo.
El paquete estaba asegurado pero el formulario de reclamo siempre da error.
Pagué la confirmación de firma y nadie firmó, ¿me devuelven ese cargo?
Quisiera el reembolso por el contenido dañado de mi paquete.
El reembolso de mis etiquetas sin usar todavía no aparece en mi tarjeta.
Quiero impugnar la decisión sobre mi reclamo de {amt}.
""",
"feedback_complaint": """
Quiero quejarme del empleado grosero de la oficina de {city}.
Nuestra cartera es maravillosa y quiero agradecerle su excelente servicio.
La fila en la oficina de correos duró más de una hora y sólo había una ventanilla abierta.
El cartero me gritó y fue muy poco profesional.
Quiero dar mi opinión sobre lo mal que trataron mi paquete.
Su empleado fue muy amable hoy, por favor transmítanle mi agradecimiento.
El vestíbulo de la oficina está sucio y la máquina de autoservicio lleva meses rota.
El camión del correo pasa todos los días por encima de mi césped y lo arruinó.
La empleada del mostrador se negó a ayudarme y puso los ojos en blanco.
Estoy muy decepcionado con el servicio que recibí en mi sucursal.
Nuestro cartero siempre hace un esfuerzo extra, merece un reconocimiento.
El gerente de la oficina me colgó cuando llamé.
Quiero presentar una queja formal por el trato que recibí.
El cartero fuma mientras reparte y tira las colillas en mi jardín.
Su página web es confusa y no encontré lo que buscaba.
La empleada estuvo todo el tiempo con el celular e ignoró a los clientes.
En su línea de atención me tuvieron 90 minutos en espera.
La oficina cerró temprano sin ningún aviso.
Quiero felicitar al equipo de la sucursal de {city} por encontrar mi carta perdida.
El cartero siempre va a toda velocidad por el barrio con niños jugando.
El servicio ha empeorado muchísimo en el último año.
Estoy harto de la actitud que encuentro cada vez que voy al mostrador.
Gracias al cartero que notó que mi vecina mayor se había caído y pidió ayuda.
El empleado de correos me hizo comentarios ofensivos.
Nadie contesta el teléfono en mi oficina local, suena y suena.
Una sugerencia: por favor pongan más estacionamiento en la oficina de {city}.
El empleado me dio información equivocada sobre envíos a Canadá y encima fue grosero.
Nuestro cartero les dejó una nota bonita a mis hijos, nos alegró el día.
La aplicación se cierra todo el tiempo y quiero decirles lo frustrante que es.
Quiero felicitar al personal por cómo manejaron la temporada navideña.
Un saludo especial a nuestra cartera, es la mejor y siempre sonríe.
Muchas gracias al empleado que me ayudó a empacar mi caja con tanto cuidado.
Felicidades a todo el equipo de mi oficina de correos, excelente trabajo.
Solo quiero decir que el servicio ha sido excelente últimamente.
El cartero fue grosero cuando le hice una pregunta sencilla sobre mi correo.
""",
"delivery_services": """
Quiero retener mi correo mientras estoy de vacaciones a partir del {date}.
¿Cómo cambio mi dirección? Me mudo a {city} el mes que viene.
Necesito reenviar mi correo a una dirección temporal durante el verano.
Quisiera alquilar un apartado postal, ¿qué tamaños y precios tienen?
Perdí la llave de mi apartado postal, ¿cómo consigo una nueva?
¿Pueden programar una nueva entrega del paquete que no pude recibir hoy?
¿Cuánto cuesta enviar un paquete de 2 kilos a {city}?
¿Cuál es la forma más barata de mandar un paquete al extranjero?
¿Puedo programar una recogida gratuita de paquetes en mi casa?
Quiero interceptar un paquete y que me lo devuelvan.
Mi solicitud de cambio de dirección no ha entrado en vigor después de dos semanas.
¿Cuánto tiempo pueden retener mi correo? Estaré fuera tres semanas.
¿Puedo enviar {item} por correo?
Necesito extender la retención de mi correo hasta el {date}.
Por favor cancelen el reenvío de mi correo, ya volví.
¿Cuál es la diferencia entre Priority Mail y Ground Advantage?
Quiero renovar mi apartado postal en línea pero la página no me deja.
¿Puedo recoger mi paquete en la oficina en lugar de que me lo entreguen?
¿Cómo envío un paquete con confirmación de firma?
Quisiera cambiar la dirección de entrega de un paquete que ya está en camino.
¿Pueden entregar mi correo en mi apartado postal en vez de mi domicilio?
¿Entregan paquetes en un casillero cerca de mi casa?
Necesito cajas de tarifa fija, ¿me las dan gratis?
¿Cómo envío baterías de litio al extranjero?
Terminó la retención de mi correo pero todavía no me lo han entregado.
Quiero activar el reenvío premium para mi casa de temporada.
¿Cómo verifico mi identidad para un cambio de dirección?
Necesito saber los límites de tamaño de Priority Mail Express.
¿Puedo dejar un paquete en mi buzón para que el cartero lo recoja?
Quisiera agregar el nombre de mi nuevo compañero de piso a mi buzón.
""",
"informed_delivery": """
No puedo iniciar sesión en mi cuenta de USPS, dice que mi contraseña es incorrecta.
Los correos de Informed Delivery dejaron de llegar hace una semana.
Informed Delivery muestra cartas que nunca llegan.
No recibí el código de verificación para terminar de configurar mi cuenta.
Mi cuenta está bloqueada después de demasiados intentos de inicio de sesión.
Quiero cambiar el correo electrónico de mi cuenta en línea.
El panel de Informed Delivery no muestra imágenes de mi correo.
¿Cómo me inscribo en Informed Delivery? La verificación de identidad falló.
Olvidé mi usuario y el enlace para restablecerlo no funciona.
Me llegan notificaciones de Informed Delivery del inquilino anterior.
Por favor eliminen mi cuenta en línea y todos mis datos.
El código de verificación en dos pasos nunca llega a mi teléfono.
Informed Delivery dice que mi dirección no es elegible.
Me sale un error cuando intento entrar a usps.com.
El resumen diario por correo muestra cartas de otra persona.
Mi paquete no aparece en el panel de Informed Delivery.
No puedo agregar un paquete a mi cuenta con el número de rastreo.
Pedí un código de invitación por correo para verificar mi identidad y nunca llegó.
¿Cómo desactivo los mensajes de texto de Informed Delivery?
Mi cuenta muestra la dirección equivocada y no la puedo editar.
Cambié mi contraseña pero la aplicación sigue sin dejarme entrar.
La aplicación de Informed Delivery dice todo el tiempo "algo salió mal".
Alguien creó una cuenta con mi dirección, ¿cómo la elimino?
Necesito ayuda para unir dos cuentas en línea.
Las imágenes escaneadas de mi resumen diario salen en blanco.
No recibo las notificaciones por correo electrónico que activé en mi cuenta.
¿Por qué mi cuenta de empresa dice que la verificación está pendiente?
El correo para restablecer la contraseña llega a una dirección vieja a la que no tengo acceso.
La página de inicio de sesión se recarga cada vez que pongo mis datos.
Informed Delivery dejó de mostrar avisos de paquetes después de que me mudé.
Aunque recibí la carta de verificación sigo sin poder entrar a mi cuenta en línea.
Al registrarme dice que mi correo electrónico ya está en uso.
La vista previa de Informed Delivery muestra cartas del dueño anterior de la casa.
""",
"general": """
¿Cuál es el horario de la oficina de correos los sábados?
¿Cuánto cuesta ahora un sello Forever?
¿Cómo pido una cita para el pasaporte?
¿Puedo comprar un giro postal con tarjeta de crédito?
Quisiera saber cómo solicitar trabajo en el servicio postal.
¿Cuál es el código postal de esta dirección en {city}?
Recibí un mensaje de texto que dice que mi paquete está retenido, ¿es una estafa?
¿Venden sobres prepagados en el mostrador?
¿Dónde está la oficina de correos más cercana que abre los domingos?
¿Abre la oficina de correos en el día feriado?
¿Cómo consigo una copia de un recibo del mes pasado?
¿Puedo enviar un fax desde la oficina de correos?
Quiero pedir sellos en línea pero no encuentro las colecciones.
¿Qué tengo que llevar para renovar mi pasaporte?
¿Venden seguro de envío para cartas?
¿Cómo puedo trabajar como cartero rural?
¿Aceptan efectivo para giros postales internacionales?
¿Dónde encuentro los horarios de recogida del buzón azul de mi calle?
¿Cómo denuncio un correo sospechoso que dice ser de ustedes?
¿Puedo donar sellos a una organización benéfica a través del correo?
Tengo una pregunta sobre envíos a una dirección militar APO.
¿Cómo hago para que aprueben un buzón nuevo para mi casa?
¿Me pueden decir si mi calle está en su zona de reparto?
Encontré una billetera en mi buzón, ¿qué debo hacer?
¿Cómo dejo de recibir publicidad por correo?
Estoy haciendo un trabajo escolar sobre el correo, ¿con quién puedo hablar?
¿Venden tarjetas de regalo en las oficinas de correos?
Recibí una carta que no es mía ni es para mi dirección, ¿qué hago con ella?
¿Cómo obtengo un permiso de envío masivo para mi negocio?
¿Cuál es el teléfono de mi oficina de correos local?
Me llegó un correo que dice que tengo que pagar una tarifa para liberar mi paquete, ¿es real?
Un mensaje de texto me pidió hacer clic en un enlace para confirmar mi dirección, creo que es falso.
¿Puedo pagar los sellos con Apple Pay en el mostrador?
¿Cuántos sellos necesito para un sobre grande a Canadá?
¿Están contratando personal temporal para las fiestas?
""",
}

DETAILS = {
"track_package": """
El vendedor dice que lo entregó el {date}.
Volví a revisar el rastreo esta mañana y nada cambió.
El paquete contiene {item}.
Se envió desde {city}.
Ya esperé el tiempo recomendado.
Llamé a la oficina local pero nadie me supo decir nada.
El número de rastreo es {tn}.
La entrega debía ser a más tardar el {date}.
""",
"missing_package": """
Se envió desde {city} el {date}.
La dirección estaba bien escrita, la revisé dos veces.
El contenido vale unos {amt}.
No tengo número de rastreo, era una carta normal.
La remitente es mi abuela y está muy preocupada.
Pregunté a los vecinos y nadie lo tiene.
Contenía {item}.
El número de seguimiento, por si sirve, es {tn}.
""",
"delivery_issue": """
Esto ya pasó por lo menos {n} veces este mes.
Mi dirección está bien visible en la casa.
Tengo una foto de dónde dejaron el paquete.
El paquete tenía {item}.
Nuestro buzón tiene nuestros nombres.
Ya se lo dije al cartero en persona pero nada cambió.
El número de rastreo del último es {tn}.
Volvió a pasar el {date}.
""",
"claim_refund": """
Tengo fotos de la caja dañada y del contenido.
El recibo muestra que pagué {amt}.
Se envió el {date}.
El número de rastreo es {tn}.
Guardé todo el embalaje como indican.
El artículo era {item}.
Tengo el recibo original del seguro.
El número de reclamo está en mi cuenta.
""",
"feedback_complaint": """
Esto pasó el {date} alrededor del mediodía.
Soy cliente desde hace más de veinte años.
No soy el único, mis vecinos también lo han notado.
Espero que alguien lea esto.
No sé el nombre, pero era la señora de la ventanilla 2.
Por favor háganlo llegar al gerente correspondiente.
Fue en la sucursal de {city}.
Agradecería una respuesta.
""",
"delivery_services": """
Mi nueva dirección está en {city}.
Estaré fuera desde el {date}.
El paquete pesa como un kilo y medio.
Si se puede, prefiero hacerlo en línea.
Me mudo con toda mi familia.
El número del aviso está en la tarjeta que dejaron.
Es para mi pequeño negocio.
Por favor díganme qué opciones hay.
""",
"informed_delivery": """
Ya borré las cookies del navegador.
Uso la aplicación en el celular.
Mi usuario es mi correo electrónico.
Me registré hace como un mes.
Empezó después de la última actualización de la aplicación.
Probé con tres navegadores distintos.
En la computadora sí puedo entrar pero en el teléfono no.
Ya restablecí mi contraseña dos veces.
""",
"general": """
Gracias de antemano por la información.
No encontré la respuesta en su página web.
Vivo en {city}.
Necesito saberlo antes del {date}.
Es para mi padre que es mayor.
La página no era clara sobre esto.
Una respuesta rápida sería genial.
Intenté llamar pero no pude comunicarme.
""",
}

URGENT = """
passport|missing_package|Envié mi solicitud de pasaporte hace {n} semanas y nunca llegó a la agencia de pasaportes.
passport|missing_package|Me devolvieron el pasaporte por correo y se perdió, viajo la semana que viene.
passport|missing_package|El sobre con los documentos de mi pasaporte y el acta de nacimiento se extravió.
passport|track_package|Mi envío {tn} con la renovación del pasaporte lleva {n} días detenido, adentro va mi pasaporte viejo.
passport|missing_package|El Departamento de Estado dice que enviaron mi pasaporte nuevo el {date} pero nunca lo recibí.
passport|missing_package|No encuentran la solicitud de pasaporte de mi hijo, la mandamos desde la oficina y desapareció.
express_failing|track_package|Mi paquete Priority Mail Express {tn} estaba garantizado para hoy al mediodía y todavía no sale a reparto.
express_failing|delivery_issue|El sobre exprés tiene que entregarse hoy y el cartero acaba de marcar "sin acceso".
express_failing|track_package|Pagué envío exprés para el día siguiente, debe llegar esta tarde y el rastreo no se mueve desde anoche.
express_failing|delivery_issue|Nuestro correo exprés con papeles del contrato debía llegar hoy antes de las 10:30 y no ha llegado.
express_failing|track_package|El paquete exprés con medicamentos tiene que llegar esta noche pero el rastreo lo muestra en {city}.
notarisation|general|Necesito notarizar unos documentos hoy, ¿alguien en la oficina de correos lo puede hacer?
notarisation|general|Mis papeles necesitan un notario y documentos de cumplimiento antes de poder enviarlos.
notarisation|general|¿Dónde consigo una apostilla y copias certificadas de documentos que tengo que mandar al extranjero?
notarisation|general|El banco dice que mis documentos de cumplimiento deben estar notariados antes de enviarlos, ¿me ayudan?
legal_deadline|missing_package|Tengo un plazo en el tribunal mañana y los documentos que envié no han llegado.
legal_deadline|track_package|Mi abogado necesita el contrato firmado para mañana y el envío {tn} no se mueve.
legal_deadline|delivery_issue|La respuesta a la demanda tiene que llegar hoy al juzgado y la entregaron en otra dirección.
legal_deadline|missing_package|Mi declaración de impuestos vence hoy y el sobre que mandé ayer me lo devolvieron.
legal_deadline|track_package|Los documentos de migración tienen que estar mañana en la oficina y el paquete está detenido en {city}.
"""

NEAR_MISS = """
general|¿Cómo saco una cita para el pasaporte en mi oficina de correos?
general|¿Cuánto cuesta la foto del pasaporte en la oficina?
claim_refund|Mi paquete Priority Mail Express llegó tarde la semana pasada, quiero el reembolso del franqueo.
delivery_services|¿Cuánto cuesta Priority Mail Express para el día siguiente a {city}?
general|¿Venden sobres para correo certificado con acuse de recibo?
delivery_issue|Una carta del juzgado la entregaron en casa de mi vecino el mes pasado.
general|¿Hay una fecha límite para comprar sellos antes de que suba el precio?
delivery_services|Quiero mandar mi solicitud de pasaporte por Priority Mail, ¿qué servicio es mejor?
"""

OTHER_CARRIER = """
track_package|¿Me pueden decir dónde está mi paquete {ups}? El rastreo no muestra nada.
track_package|Mi número de seguimiento {ups} no funciona en su página.
missing_package|El vendedor mandó mi pedido con {ups} y nunca llegó.
track_package|Tengo el número {ups} y el estado no cambia desde hace días.
"""

GREETINGS = """
Hola,
Buenos días,
Estimados señores,
Buenas tardes,
Hola, buen día,
Estimado equipo,
A quien corresponda,
Hola equipo de correos,
Saludos,
Buenas,
"""

OPENERS = """
Espero que me puedan ayudar.
Les escribo porque tengo un problema.
Tengo una pregunta.
Ya intenté todo lo demás, por eso les escribo.
Este es mi segundo mensaje sobre este tema.
Necesito ayuda, por favor.
Disculpen la molestia.
Me comunico con ustedes por el siguiente asunto.
"""

EMOTIONS = """
Esto es muy frustrante.
Estoy muy molesto por esto.
Les agradecería mucho su ayuda.
Por favor ayúdenme, es importante para mí.
Estoy bastante preocupada.
Sinceramente esto es inaceptable.
Ya no sé qué más hacer.
"""

CLOSINGS = """
Gracias,
Muchas gracias,
Saludos cordiales,
Atentamente,
Un saludo,
Gracias por su ayuda,
Quedo atento,
Cordialmente,
"""

SUBJECTS = {
"track_package": "El rastreo no se actualiza|Pregunta sobre el seguimiento|¿Dónde está mi paquete?|Rastreo detenido|Consulta de estado",
"missing_package": "Paquete perdido|La carta nunca llegó|Correo extraviado|Paquete no recibido|Correo perdido",
"delivery_issue": "Problema de entrega|Entregado en otra dirección|Problema con el reparto|Paquete dejado afuera|No llega el correo",
"claim_refund": "Reclamo|Solicitud de reembolso|Reclamo por paquete dañado|Reembolso|Reclamo de seguro",
"feedback_complaint": "Queja|Comentarios|Agradecimiento|Queja sobre un empleado|Opinión del servicio",
"delivery_services": "Retener correo|Cambio de dirección|Apartado postal|Nueva entrega|Consulta de envío",
"informed_delivery": "Problema con la cuenta|Informed Delivery|No puedo entrar|Problema de inicio de sesión|Ayuda con la cuenta",
"general": "Pregunta|Consulta general|Información|Consulta|Pregunta rápida",
}

ITEMS = "una laptop|medicamentos|un regalo de cumpleaños|documentos|un teléfono|libros|ropa|un reloj|fotos|un cheque|vitaminas|repuestos de auto"
CITIES = "Chicago|Denver|Houston|Miami|Seattle|Atlanta|Phoenix|Boston|Dallas|Portland|San Diego|Newark"
DATES = "3 de septiembre|12 de octubre|lunes pasado|5 de marzo|2 de noviembre|14 de enero|día 20|9 de mayo|30 de junio|3/9"
NAMES = "Juan Pérez|María González|Carlos R.|Lucía|José Martínez|Ana L.|Luis Hernández|Carmen|F. Ramírez|Sofía Torres"
