"""The departments, topics and contact channels a fresh Postdesk starts with (admins edit them).

Used by a data migration, so every new database, SQLite or PostgreSQL, has them.
"""

from __future__ import annotations

H, O, R = "hidden", "optional", "required"

DEPARTMENTS = [
    # slug, English, German, Spanish
    ("tracking", "Package Tracking", "Sendungsverfolgung", "Rastreo de paquetes"),
    ("missing-mail", "Missing Mail Search", "Suche nach verlorener Post", "Búsqueda de correo extraviado"),
    ("delivery", "Delivery Operations", "Zustellung", "Operaciones de entrega"),
    ("claims", "Claims and Refunds", "Schadensfälle und Erstattungen", "Reclamaciones y reembolsos"),
    ("consumer-affairs", "Consumer Affairs", "Kundenanliegen", "Asuntos del consumidor"),
    ("delivery-services", "Delivery Services", "Zustelldienste", "Servicios de entrega"),
    ("online", "Online Accounts", "Online-Konten", "Cuentas en línea"),
]

# slug, department, (en, de, es) name, (en, de, es) description, fields
TOPICS = [
    ("track_package", "tracking",
     ("Track a package", "Sendung verfolgen", "Rastrear un paquete"),
     ("Tracking shows no progress or a status you do not understand.",
      "Die Sendungsverfolgung zeigt keinen Fortschritt oder einen unklaren Status.",
      "El rastreo no avanza o muestra un estado que no entiende."),
     {"tracking_numbers": R, "address": O, "date_mailed": O, "phone": O, "attachments": O}),
    ("missing_package", "missing-mail",
     ("Missing package or mail", "Fehlende Sendung oder Post", "Paquete o correo perdido"),
     ("A package or letter has not arrived.",
      "Ein Paket oder Brief ist nicht angekommen.",
      "Un paquete o carta no ha llegado."),
     {"tracking_numbers": O, "address": R, "date_mailed": R, "phone": O, "attachments": O}),
    ("delivery_issue", "delivery",
     ("Mail delivery issue", "Problem bei der Zustellung", "Problema con la entrega del correo"),
     ("Mail delivered to the wrong address, late, damaged or not at all.",
      "Post an falsche Adresse, zu spät, beschädigt oder gar nicht zugestellt.",
      "Correo entregado en otra dirección, tarde, dañado o no entregado."),
     {"tracking_numbers": O, "address": R, "date_mailed": O, "phone": O, "attachments": O}),
    ("claim_refund", "claims",
     ("Claim or refund", "Schadensersatz oder Erstattung", "Reclamación o reembolso"),
     ("Insured or damaged items, and refunds for postage or services.",
      "Versicherte oder beschädigte Sendungen und Erstattung von Porto oder Leistungen.",
      "Artículos asegurados o dañados y reembolsos de franqueo o servicios."),
     {"tracking_numbers": R, "address": O, "date_mailed": R, "phone": O, "attachments": O}),
    ("feedback_complaint", "consumer-affairs",
     ("Feedback or complaint", "Feedback oder Beschwerde", "Comentarios o queja"),
     ("Tell us what went well or what went wrong.",
      "Sagen Sie uns, was gut oder schlecht lief.",
      "Cuéntenos qué salió bien o qué salió mal."),
     {"tracking_numbers": O, "address": O, "date_mailed": H, "phone": O, "attachments": O}),
    ("delivery_services", "delivery-services",
     ("Hold mail, change of address, PO boxes, shipping options",
      "Postlagerung, Adressänderung, Postfächer, Versandoptionen",
      "Retención de correo, cambio de dirección, apartados postales, opciones de envío"),
     ("Services for your mail and your shipments.",
      "Dienste rund um Ihre Post und Ihre Sendungen.",
      "Servicios para su correo y sus envíos."),
     {"tracking_numbers": H, "address": R, "date_mailed": H, "phone": O, "attachments": O}),
    ("informed_delivery", "online",
     ("Online account and Informed Delivery", "Online-Konto und Informed Delivery",
      "Cuenta en línea e Informed Delivery"),
     ("Signing in, your account, and Informed Delivery notifications.",
      "Anmeldung, Ihr Konto und Informed-Delivery-Benachrichtigungen.",
      "Inicio de sesión, su cuenta y notificaciones de Informed Delivery."),
     {"tracking_numbers": H, "address": O, "date_mailed": H, "phone": O, "attachments": O}),
    ("general", "consumer-affairs",
     ("General question", "Allgemeine Frage", "Pregunta general"),
     ("Anything else.", "Alles andere.", "Cualquier otra consulta."),
     {"tracking_numbers": O, "address": O, "date_mailed": H, "phone": O, "attachments": O}),
]

# kind, (en, de, es) label, value, (en, de, es) hours
CHANNELS = [
    ("email_form", ("Email us", "Schreiben Sie uns", "Escríbanos"), "",
     ("Answer within 1-3 business days", "Antwort innerhalb von 1-3 Werktagen",
      "Respuesta en 1-3 días hábiles")),
    ("chat", ("Live chat", "Live-Chat", "Chat en vivo"), "",
     ("Mon-Fri 8 am-8:30 pm ET", "Mo-Fr 8-20:30 Uhr ET", "lun-vie 8 a. m.-8:30 p. m. ET")),
    ("phone", ("Call us", "Rufen Sie uns an", "Llámenos"), "1-800-275-8777",
     ("Mon-Fri 8 am-8:30 pm ET, Sat 8 am-6 pm ET", "Mo-Fr 8-20:30 Uhr, Sa 8-18 Uhr ET",
      "lun-vie 8 a. m.-8:30 p. m., sáb 8 a. m.-6 p. m. ET")),
    ("social", ("X (Twitter)", "X (Twitter)", "X (Twitter)"), "https://x.com/postdesk", ("", "", "")),
    ("social", ("Facebook", "Facebook", "Facebook"), "https://www.facebook.com/postdesk", ("", "", "")),
]


def install(apps=None) -> None:
    """Create the defaults that are missing; never overwrite what an admin changed."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Department = apps.get_model("cases", "Department")
    Topic = apps.get_model("cases", "Topic")
    ContactChannel = apps.get_model("cases", "ContactChannel")
    departments = {}
    for slug, en, de, es in DEPARTMENTS:
        departments[slug], _ = Department.objects.get_or_create(
            slug=slug, defaults={"name": en, "name_de": de, "name_es": es}
        )
    for position, (slug, department, names, descriptions, fields) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={
            "department": departments[department], "position": position, "fields": fields,
            "name": names[0], "name_de": names[1], "name_es": names[2],
            "description": descriptions[0], "description_de": descriptions[1],
            "description_es": descriptions[2],
        })
    if not ContactChannel.objects.exists():
        for position, (kind, labels, value, hours) in enumerate(CHANNELS):
            ContactChannel.objects.create(
                kind=kind, position=position, value=value,
                label=labels[0], label_de=labels[1], label_es=labels[2],
                hours=hours[0], hours_de=hours[1], hours_es=hours[2],
            )
