"""GET /healthz for monitoring: JSON, 200 when every check passes, 503 otherwise."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.health import report


@never_cache
@require_GET
def healthz(request):
    result = report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False})
