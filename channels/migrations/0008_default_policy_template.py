"""The default policy template, version 1, written for Umeå universitet in Swedish and English.

What is removed follows the law on electronic bulletin boards (lag (1998:112) om ansvar för
elektroniska anslagstavlor, 5 §) and the university's own rules. Komm edits by publishing a new
version in the admin; this one is never rewritten.
"""

from django.db import migrations

BODY_SV = """Policy för {name} ({platform})

{name} är en officiell kanal för Umeå universitet. Ansvarig för kanalen är {unit}. Universitetet är ansvarigt för kanalen, och de som publicerar här gör det i sin tjänst vid Umeå universitet.

Vem driver kanalen
Kanalen drivs av {responsible}. {monitoring_who}

Bevakning och svarstid
Vi bevakar kanalen: {monitoring}. Vi strävar efter att svara på frågor inom {response_time} timmar under kontorstid. Kanalen är inte avsedd för ärenden som kräver myndighetsutövning; sådana ärenden hänvisar vi till registrator@umu.se.

Vad vi tar bort och varför
Alla är välkomna att kommentera. Vi tar bort inlägg och kommentarer vars innehåll uppenbart är
- uppvigling, hets mot folkgrupp, barnpornografibrott, olaga våldsskildring eller olaga hot,
- intrång i upphovsrätt eller annan rätt som skyddas av upphovsrättslagen,
enligt lagen (1998:112) om ansvar för elektroniska anslagstavlor, 5 §.
Vi tar också bort reklam, spam, personangrepp, kränkande innehåll och inlägg som inte hör till kanalens ämne. Det som tas bort sparas och hanteras enligt universitetets regler för allmänna handlingar.

Personuppgifter
Det du skriver i kanalen kan bli en allmän handling. Skriv inte känsliga personuppgifter om dig själv eller andra. Umeå universitet behandlar personuppgifter enligt dataskyddsförordningen (GDPR); läs mer på www.umu.se/om-webbplatsen/behandling-av-personuppgifter/.

Kontakt
Frågor om kanalen: {contact}. Frågor om universitetets sociala medier: {komm_email}.
"""

BODY_EN = """Policy for {name} ({platform})

{name} is an official channel of Umeå University. The channel is run on behalf of {unit}. The university is responsible for the channel, and those who post here do so in their work at Umeå University.

Who runs the channel
The channel is run by {responsible}. {monitoring_who}

Monitoring and response time
We monitor the channel: {monitoring}. We aim to answer questions within {response_time} hours during office hours. The channel is not meant for matters that call for a formal decision; please send those to registrator@umu.se.

What we remove and why
Everyone is welcome to comment. We remove posts and comments whose content is obviously
- incitement, agitation against a population group, child pornography offences, unlawful depiction of violence or unlawful threats,
- infringement of copyright or other rights protected by the Copyright Act,
under the Act on Responsibility for Electronic Bulletin Boards (SFS 1998:112), section 5.
We also remove advertising, spam, personal attacks, offensive content and posts that are off topic. What we remove is kept and handled under the university's rules for official documents.

Personal data
What you write in the channel may become an official document. Do not write sensitive personal data about yourself or others. Umeå University processes personal data under the General Data Protection Regulation (GDPR); read more at www.umu.se/en/about-the-website/processing-of-personal-data/.

Contact
Questions about the channel: {contact}. Questions about the university's social media: {komm_email}.
"""


def create(apps, schema_editor):
    PolicyTemplate = apps.get_model("channels", "PolicyTemplate")
    PolicyTemplate.objects.get_or_create(
        version=1, defaults={"body_sv": BODY_SV, "body_en": BODY_EN}
    )


def remove(apps, schema_editor):
    apps.get_model("channels", "PolicyTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("channels", "0007_policy_template")]

    operations = [migrations.RunPython(create, remove)]
