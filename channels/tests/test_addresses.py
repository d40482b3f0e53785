"""The address normaliser: real-world ways of typing one account give one key."""

from __future__ import annotations

import pytest

from channels.addresses import address_key, handle_of, looks_like_handle

SAME_ACCOUNT = [
    # (what was typed, the key)
    ("https://www.linkedin.com/company/umu-fysik", "linkedin.com/company/umu-fysik"),
    ("linkedin.com/company/UMU-Fysik/", "linkedin.com/company/umu-fysik"),
    ("http://se.linkedin.com/company/umu-fysik/about/?trk=x", "linkedin.com/company/umu-fysik"),
    ("https://m.linkedin.com/company/umu-fysik#top", "linkedin.com/company/umu-fysik"),
    ("https://www.linkedin.com/school/umu-fysik/", "linkedin.com/company/umu-fysik"),
    ("https://www.linkedin.com/showcase/umu-fysik/posts/", "linkedin.com/showcase/umu-fysik"),
    ("https://x.com/umu_humanistdagen", "x.com/umu_humanistdagen"),
    ("https://twitter.com/umu_humanistdagen", "x.com/umu_humanistdagen"),
    ("HTTPS://Mobile.Twitter.com/UMU_Humanistdagen/", "x.com/umu_humanistdagen"),
    ("twitter.com/umu_humanistdagen?lang=sv", "x.com/umu_humanistdagen"),
    ("https://x.com/umu_humanistdagen/status/123", "x.com/umu_humanistdagen"),
    ("https://www.youtube.com/@UmeaUniversitet", "youtube.com/@umeauniversitet"),
    ("https://m.youtube.com/@umeauniversitet/videos", "youtube.com/@umeauniversitet"),
    ("https://www.youtube.com/channel/UC123abc/", "youtube.com/channel/uc123abc"),
    ("https://www.youtube.com/c/UmeaUniversity/featured", "youtube.com/c/umeauniversity"),
    ("https://www.youtube.com/UmeaUniversity", "youtube.com/c/umeauniversity"),
    ("https://www.youtube.com/user/umeauniv?sub_confirmation=1", "youtube.com/user/umeauniv"),
    ("https://www.facebook.com/profile.php?id=1064&sk=about", "facebook.com/profile.php?id=1064"),
    ("https://m.facebook.com/profile.php?id=100064", "facebook.com/profile.php?id=100064"),
    ("https://www.facebook.com/umeauniversitet/", "facebook.com/umeauniversitet"),
    ("https://fb.com/UmeaUniversitet?ref=bookmarks", "facebook.com/umeauniversitet"),
    ("https://www.instagram.com/umu_x", "instagram.com/umu_x"),
    ("instagram.com/UMU_X/?hl=sv", "instagram.com/umu_x"),
    ("https://www.instagram.com/umu_x/reels/", "instagram.com/umu_x"),
    ("https://www.tiktok.com/@umeauniversitet", "tiktok.com/@umeauniversitet"),
    ("https://tiktok.com/@UmeaUniversitet/video/42?lang=en", "tiktok.com/@umeauniversitet"),
    ("https://bsky.app/profile/umu.se", "bsky.app/profile/umu.se"),
    ("https://bsky.app/profile/UMU.se/post/3k", "bsky.app/profile/umu.se"),
    ("@umu@mastodon.nu", "@umu@mastodon.nu"),
    ("umu@Mastodon.nu", "@umu@mastodon.nu"),
    ("https://mastodon.nu/@UMU", "@umu@mastodon.nu"),
    ("https://mastodon.nu/@umu/with_replies", "@umu@mastodon.nu"),
    ("https://mastodon.nu/users/umu", "@umu@mastodon.nu"),
    ("https://www.threads.net/@umu", "threads.com/@umu"),
    ("https://sv-se.facebook.com/umeauniversitet", "facebook.com/umeauniversitet"),
    ("https://vimeo.com/UmeaUniversity/", "vimeo.com/umeauniversity"),
    ("  https://www.example.org/a/B/  ", "example.org/a/b"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "key"), SAME_ACCOUNT)
def test_address_key(typed, key):
    assert address_key(typed) == key


def test_different_accounts_stay_apart():
    assert address_key("https://x.com/umu_a") != address_key("https://x.com/umu_b")
    assert address_key("https://mastodon.nu/@umu") != address_key("https://mastodon.social/@umu")
    # YouTube's kinds of address cannot be matched without asking YouTube.
    assert address_key("youtube.com/@umu") != address_key("youtube.com/user/umu")


@pytest.mark.parametrize(
    ("typed", "is_handle"),
    [
        ("@umu_x", True),
        ("umu.fysik", True),
        ("umu.bsky.social", True),
        ("@umu@mastodon.nu", False),
        ("https://x.com/umu", False),
        ("x.com/umu", False),
        ("", False),
    ],
)
def test_looks_like_handle(typed, is_handle):
    assert looks_like_handle(typed) is is_handle


def test_handle_of():
    assert handle_of(" @UMU_x ") == "umu_x"
