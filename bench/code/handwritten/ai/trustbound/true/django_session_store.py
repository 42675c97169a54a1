from django.http import JsonResponse


def save_cart(request):
    items = request.POST.getlist("item")
    request.session["cart"] = items
    request.session["discount_code"] = request.POST.get("discount")
    return JsonResponse({"saved": len(items)})
