"""Mail really leaves the server over SMTP: the invitation of an admin-created user reaches the
local sink with the default template filled in."""

from support import MAIL_FROM, TEMP_PASSWORD


def test_invitation_is_mailed(idp, pool_id, unique, mail_sink):
    username = unique("invitee")
    email = f"{username}@example.com"
    idp.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=TEMP_PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": email}],
                          DesiredDeliveryMediums=["EMAIL"])
    mail = mail_sink.next_mail(email)
    assert mail.mail_from == MAIL_FROM
    assert mail.subject
    assert username in mail.body
    assert TEMP_PASSWORD in mail.body


def test_suppressed_invitation_is_not_mailed(idp, pool_id, unique, mail_sink):
    username = unique("quiet")
    email = f"{username}@example.com"
    idp.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=TEMP_PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": email}],
                          MessageAction="SUPPRESS")
    mail_sink.expect_none(email, wait=1.0)
