from django.http import JsonResponse


def remember_cart(request):
    owner = request.POST.get("owner", "")
    value = "anonymous"
    if len("abc") > 5:
        value = owner
    request.session["cart_owner"] = value
    return JsonResponse({"ok": True})
