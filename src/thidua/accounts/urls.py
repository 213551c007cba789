from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from thidua.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "dang-nhap/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-lop/", views.totp_view, name="totp"),
    path("xac-thuc-hai-lop/kich-hoat/", views.totp_enrol_view, name="totp-enrol"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password-change-done"),
            extra_context={"title": "Đổi mật khẩu", "submit": "Đổi mật khẩu"},
        ),
        name="password-change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Đã đổi mật khẩu",
                "text": "Mật khẩu của bạn đã được thay đổi.",
            },
        ),
        name="password-change-done",
    ),
    path(
        "quen-mat-khau/",
        views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
            extra_context={
                "title": "Quên mật khẩu",
                "submit": "Gửi thư đặt lại mật khẩu",
                "intro": "Nhập địa chỉ thư điện tử đã đăng ký; hệ thống sẽ gửi đường dẫn đặt lại mật khẩu.",
            },
        ),
        name="password-reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Đã gửi thư",
                "text": "Nếu địa chỉ thư điện tử có trong hệ thống, bạn sẽ nhận được đường dẫn đặt lại mật khẩu trong ít phút.",
            },
        ),
        name="password-reset-done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
            extra_context={"title": "Đặt mật khẩu mới", "submit": "Lưu mật khẩu mới"},
        ),
        name="password-reset-confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Đã đặt lại mật khẩu",
                "text": "Bạn có thể đăng nhập bằng mật khẩu mới.",
            },
        ),
        name="password-reset-complete",
    ),
]
