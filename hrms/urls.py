from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from hrms import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The administration site's own password form would check the old password unthrottled:
    # the same address (admin:password_change reverses to it) gets the throttled one.
    path(
        "admin/password_change/",
        staff_member_required(
            views.PasswordChangeView.as_view(success_url=reverse_lazy("admin:password_change_done"))
        ),
    ),
    path("admin/", admin.site.urls),
    path("", include("personnel.urls")),
    path("", include("payroll.urls")),
    path("", include("insurance.urls")),
    path("api/v1/", include("api.urls")),
]

handler403 = "hrms.views.error_403"
handler404 = "hrms.views.error_404"
handler500 = "hrms.views.error_500"
