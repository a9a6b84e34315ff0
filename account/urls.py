from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("login/", views.FieldbookLoginView.as_view(), name="login"),
    path("register/", views.register, name="register"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/update/", views.profile_update, name="profile_update"),
    path("profile/change-password/", views.change_password, name="change_password"),
    path("profile/update-credentials/", views.update_credentials, name="update_credentials"),
    path("profile/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("register-business/", views.register_business, name="register_business"),
    path("business/edit/", views.business_edit, name="business_edit"),
    path("business/settings/edit/", views.business_settings_edit, name="business_settings_edit"),
    path("business/addons/", views.addon_list, name="addon_list"),
    path("business/addons/reviewed/", views.addon_mark_reviewed, name="addon_mark_reviewed"),
    path("custom-addon/add/", views.addon_add, name="addon_add"),
    path("custom-addon/<int:addon_id>/edit/", views.addon_edit, name="addon_edit"),
    path("custom-addon/<int:addon_id>/delete/", views.addon_delete, name="addon_delete"),
    path("business/credentials/edit/", views.credentials_edit, name="credentials_edit"),
    path(
        "business/credentials/generate-secret/",
        views.credentials_generate_secret,
        name="credentials_generate_secret",
    ),
    path(
        "business/credentials/generate-thumbtack-password/",
        views.credentials_generate_thumbtack_password,
        name="credentials_generate_thumbtack_password",
    ),
    path("business/team/", views.team, name="team"),
    path("business/team/add/", views.member_add, name="member_add"),
    path("business/team/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("business/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
