"""Staff password reset: Django's auth views, the admin's templates, our e-mail, rate limited.

The request page answers the same for every address, known or not, limited or not by the per-address
counter, so that it never tells whether an account exists.
"""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from tescforce.accounts import StaffPasswordResetForm

RESET_RATE_PER_CLIENT = "5/h"
RESET_RATE_PER_ADDRESS = "3/h"


def _posted_email(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if getattr(self.request, "limited_client", False):
            form.add_error("email", _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if getattr(self.request, "limited", False):
            # This address asked too often: answer as usual, send nothing more.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


def _mark_client_limit(view):
    def wrapper(request, *args, **kwargs):
        request.limited_client = getattr(request, "limited", False)
        request.limited = False
        return view(request, *args, **kwargs)

    return wrapper


# The per-client counter runs first; its verdict is kept apart from the per-address one.
password_reset = ratelimit(key="ip", rate=RESET_RATE_PER_CLIENT, method="POST", block=False)(
    _mark_client_limit(ratelimit(key=_posted_email, rate=RESET_RATE_PER_ADDRESS, method="POST", block=False)(
        StaffPasswordResetView.as_view())))
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("password_reset_complete"))
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
