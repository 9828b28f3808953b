"""What Teams tells about the sender, as a plain Identity for the service."""

from __future__ import annotations

from botbuilder.schema import Activity

from services.actor import Identity


def tenant_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    if isinstance(tenant.get("id"), str):
        return tenant["id"]
    conversation = activity.conversation
    return getattr(conversation, "tenant_id", None) if conversation else None


def identity_of(activity: Activity) -> Identity:
    sender = activity.from_property
    if sender is None:
        return Identity(tenant_id=tenant_of(activity))
    properties = getattr(sender, "additional_properties", None) or {}
    email = properties.get("email") or properties.get("userPrincipalName")
    return Identity(
        aad_object_id=sender.aad_object_id or None,
        email=email if isinstance(email, str) and "@" in email else None,
        name=sender.name if isinstance(sender.name, str) else None,
        tenant_id=tenant_of(activity),
    )
