from django.conf import settings


def platform(request):
    return {"DEMO_MODE": settings.DEMO_MODE}
