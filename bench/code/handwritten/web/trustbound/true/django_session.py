from django.http import JsonResponse


def remember_cart(request):
    request.session["cart_owner"] = request.POST.get("owner", "")
    return JsonResponse({"ok": True})
