from django.http import HttpResponse


def set_pref(request):
    response = HttpResponse("saved")
    response.set_cookie("theme", "light", httponly=True, secure=True, samesite="Strict")
    return response
