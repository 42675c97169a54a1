from django.http import HttpResponse


def set_pref(request):
    response = HttpResponse("saved")
    response.set_cookie("theme", request.GET.get("theme", "light"), httponly=True)
    return response
