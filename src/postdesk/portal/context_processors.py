from django.conf import settings


def desk(request):
    """Values every page may show: the desk's time zone for promised dates."""
    return {"DESK_TIME_ZONE": settings.POSTDESK_TIME_ZONE}
