"""Remember, for the visit, the Talents Occitanie campaign a visitor came through."""

SESSION_KEY = "campaign_attribution"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")


def remember_attribution(request, values: dict[str, str]) -> None:
    cleaned = {key: str(values.get(key, ""))[:80] for key in UTM_KEYS if values.get(key)}
    if cleaned:
        request.session[SESSION_KEY] = cleaned


def attribution(request) -> dict[str, str]:
    value = request.session.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


class CampaignAttributionMiddleware:
    """Store utm_* parameters in the session; touches the session only when a link carries them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and any(key in request.GET for key in UTM_KEYS):
            remember_attribution(request, {key: request.GET.get(key, "") for key in UTM_KEYS})
        return self.get_response(request)
