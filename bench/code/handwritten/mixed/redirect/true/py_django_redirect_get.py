from django.shortcuts import redirect


def after_login(request):
    target = request.GET.get("next") or "/"
    return redirect(target)
