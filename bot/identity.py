"""What Teams tells about the sender, as a plain Identity for the service."""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, DeliveryModes

from services.actor import Identity

log = logging.getLogger(__name__)

MEMBER_LOOKUP_SECONDS = 4.0


def tenant_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    if isinstance(tenant.get("id"), str):
        return tenant["id"]
    conversation = activity.conversation
    return getattr(conversation, "tenant_id", None) if conversation else None


def identity_of(activity: Activity, email: str | None = None) -> Identity:
    sender = activity.from_property
    if sender is None:
        return Identity(tenant_id=tenant_of(activity))
    return Identity(
        aad_object_id=sender.aad_object_id or None,
        email=email if isinstance(email, str) and "@" in email else None,
        name=sender.name if isinstance(sender.name, str) else None,
        tenant_id=tenant_of(activity),
    )


async def teams_email(turn_context: TurnContext) -> str | None:
    """The sender's e-mail or UPN from the Teams roster (a connector call), or None.

    Teams does not put the e-mail in the activity; the roster has it. Only asked for people
    the database does not know by their Entra id yet, and never for expectReplies requests,
    which have no connector to ask.
    """
    activity = turn_context.activity
    if (activity.channel_id != "msteams" or activity.delivery_mode == DeliveryModes.expect_replies
            or not activity.from_property or not activity.from_property.id):
        return None
    try:
        member = await asyncio.wait_for(
            TeamsInfo.get_member(turn_context, activity.from_property.id), MEMBER_LOOKUP_SECONDS)
    except Exception as exc:  # the roster is a convenience: an unknown user stays unknown
        log.info("opzoeken in de Teams-ledenlijst mislukt: %s", type(exc).__name__)
        return None
    return member.email or member.user_principal_name
