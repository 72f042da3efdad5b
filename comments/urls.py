from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
    path("comments/token/", views.token, name="token"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comments-faq/", views.faq, name="faq"),
]
