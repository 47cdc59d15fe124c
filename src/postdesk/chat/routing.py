from django.urls import path

from postdesk.chat.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<str:public_id>/", ChatConsumer.as_asgi()),
]
