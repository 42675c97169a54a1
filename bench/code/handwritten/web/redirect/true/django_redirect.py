from django.shortcuts import redirect


def after_logout(request):
    return redirect(request.GET.get("return_to", "/"))
