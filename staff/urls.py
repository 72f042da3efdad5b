from django.contrib import admin
from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [path("two-factor/", admin.site.admin_view(views.two_factor_page), name="two_factor")]
