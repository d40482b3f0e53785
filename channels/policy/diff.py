"""How a channel's policy differs from Komm's template, for Komm's review.

The channel's text is compared, word by word (difflib), with the template version it was based
on (or the current one), filled in with the channel's answers, in the language it is closer to:
what is left is what the owner wrote or removed themselves.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.conf import settings

from channels.models import Channel
from channels.policy.models import PolicyTemplate
from channels.policy.services import policy_fill, policy_template_current

# Words, punctuation and whitespace, so that joined pieces give back the text exactly.
_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "inserted" (only in the channel's text) or "removed" (only in the template)
    text: str


@dataclass(frozen=True)
class PolicyDiff:
    template: PolicyTemplate
    language: str
    pieces: list[Piece]

    @property
    def unchanged(self) -> bool:
        return all(piece.kind == "same" for piece in self.pieces)


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.replace("\r\n", "\n").strip())


def diff_pieces(before: str, after: str) -> list[Piece]:
    """`after` against `before`, as runs of same, inserted and removed words."""
    old, new = _tokens(before), _tokens(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("inserted", "".join(new[j1:j2])))
    return pieces


def policy_diff(channel: Channel) -> PolicyDiff | None:
    """The channel's policy against the template it is based on; None when it has no text or
    there is no template."""
    basis = getattr(channel, "policy_basis", None)
    template = basis.template if basis else policy_template_current()
    if not channel.policy_text.strip() or template is None:
        return None
    filled = {
        code: policy_fill(channel=channel, template=template, language=code)
        for code, _name in settings.LANGUAGES
    }
    ratios = {
        code: difflib.SequenceMatcher(
            None, _tokens(text), _tokens(channel.policy_text), autojunk=False
        ).ratio()
        for code, text in filled.items()
    }
    language = max(ratios, key=lambda code: ratios[code])
    return PolicyDiff(template, language, diff_pieces(filled[language], channel.policy_text))
