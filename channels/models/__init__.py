"""The registry: platforms, organisational units, channels and their audit trail, one module
per concern. Re-exported here, so `from channels.models import Channel` is the one way in."""

from channels.models.channel import Channel, ChannelState, Deputyship
from channels.models.evaluation import Evaluation
from channels.models.organisation import Platform, Unit, UnitHead
from channels.models.trail import AuditEntry

__all__ = [
    "AuditEntry",
    "Channel",
    "ChannelState",
    "Deputyship",
    "Evaluation",
    "Platform",
    "Unit",
    "UnitHead",
]

# Komm's policy template and the version a channel's policy is based on (channels/policy/).
from channels.policy.models import ChannelPolicyBasis, ChannelPolicyPublication, PolicyTemplate

__all__ += ["ChannelPolicyBasis", "ChannelPolicyPublication", "PolicyTemplate"]
from channels.resources.models import KommResource  # noqa: E402

__all__ += ["KommResource"]
