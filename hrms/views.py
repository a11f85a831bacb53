"""Site-wide pages: the home dashboard and the friendly error pages."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from hrms.forms import ThrottledPasswordChangeForm
from personnel import selectors
from personnel.inbox import inbox_lines
from personnel.permissions import Role, roles_of


@require_GET
def home(request):
    """The dashboard: who you are and, per role, the inbox of what waits for you."""
    inbox = inbox_lines(request.user)
    return render(
        request,
        "home.html",
        {
            "roles": roles_of(request.user),
            "inbox": [(Role(role).label, lines) for role, lines in inbox.items()],
            "summary": None if inbox else selectors.scope_summary(user=request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; wrong old passwords count as failed logins (django-axes)."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            # Too many wrong old passwords: whoever holds this session loses it too. The
            # lockout page (AxesMiddleware) replaces this response.
            logout(self.request)
        return super().form_invalid(form)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_500(request):
    # Rendered without the request context: whatever failed (the database, say) must not
    # break the error page too.
    return HttpResponseServerError(loader.render_to_string("500.html"))


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
