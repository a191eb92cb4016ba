"""Cognito's CSV user import jobs through boto3: GetCSVHeader, CreateUserImportJob, the file
PUT to the PreSignedUrl with `requests`, StartUserImportJob, DescribeUserImportJob until the
job is done, ListUserImportJobs; imported users are RESET_REQUIRED and reset their password
with ForgotPassword / ConfirmForgotPassword. Rows monban cannot import are counted and
listed (GET of the same URL), the others imported."""

import csv
import io
import time

import requests

from flows import cognito_error
from support import NEW_PASSWORD

ROLE = "arn:aws:iam::000000000000:role/CognitoImportRole"
DONE = {"Succeeded", "Failed", "Stopped", "Expired"}


def csv_text(columns, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def create_job(idp, pool_id, name="import"):
    job = idp.create_user_import_job(UserPoolId=pool_id, JobName=name,
                                     CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    assert job["Status"] == "Created"
    assert job["UserPoolId"] == pool_id and job["JobName"] == name
    assert job["JobId"].startswith("import-")
    return job


def run_job(idp, pool_id, job, text):
    upload = requests.put(job["PreSignedUrl"], data=text.encode(),
                          headers={"x-amz-server-side-encryption": "aws:kms"}, timeout=30)
    assert upload.status_code == 200, upload.text
    idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    for _ in range(300):
        described = idp.describe_user_import_job(UserPoolId=pool_id,
                                                 JobId=job["JobId"])["UserImportJob"]
        if described["Status"] in DONE:
            return described
        time.sleep(0.1)
    raise AssertionError(f"import job still {described['Status']}")


def test_import_job_creates_users_who_must_reset_their_password(app, idp, mail_sink):
    header = idp.get_csv_header(UserPoolId=app.pool_id)
    assert header["UserPoolId"] == app.pool_id
    columns = header["CSVHeader"]
    assert columns[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    assert "email" in columns and "email_verified" in columns and "sub" not in columns

    names = [app.new_username(), app.new_username()]
    rows = [{"cognito:username": n, "email": f"{n}@example.com", "email_verified": "true",
             "given_name": "Imported", "cognito:mfa_enabled": "false"} for n in names]
    job = create_job(idp, app.pool_id)
    done = run_job(idp, app.pool_id, job, csv_text(columns, rows))
    assert done["Status"] == "Succeeded", done
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (2, 0, 0)
    assert done["CompletionMessage"]
    assert done["StartDate"] and done["CompletionDate"] and done["CreationDate"]

    listed = idp.list_user_import_jobs(UserPoolId=app.pool_id, MaxResults=10)["UserImportJobs"]
    assert [j["JobId"] for j in listed] == [job["JobId"]]
    assert listed[0]["Status"] == "Succeeded"

    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=names[0])
    assert user["UserStatus"] == "RESET_REQUIRED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == f"{names[0]}@example.com"
    assert attributes["given_name"] == "Imported"

    with cognito_error("PasswordResetRequiredException"):
        app.password_auth(names[0], "Any-Passw0rd!")
    app.public.forgot_password(ClientId=app.client_id, Username=names[0])
    code = mail_sink.next_code(f"{names[0]}@example.com")
    app.public.confirm_forgot_password(ClientId=app.client_id, Username=names[0],
                                       ConfirmationCode=code, Password=NEW_PASSWORD)
    assert app.password_auth(names[0], NEW_PASSWORD)["AccessToken"]
    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=names[0])
    assert user["UserStatus"] == "CONFIRMED"


def test_bad_rows_are_reported_and_the_rest_imported(app, idp):
    columns = idp.get_csv_header(UserPoolId=app.pool_id)["CSVHeader"]
    good, unverified, existing = app.new_username(), app.new_username(), app.new_username()
    idp.admin_create_user(UserPoolId=app.pool_id, Username=existing, MessageAction="SUPPRESS")
    rows = [
        {"cognito:username": good, "email": f"{good}@example.com", "email_verified": "true"},
        {"cognito:username": "", "email": "nobody@example.com", "email_verified": "true"},
        {"cognito:username": unverified, "email": f"{unverified}@example.com",
         "email_verified": "false"},
        {"cognito:username": existing, "email": f"{existing}@example.com",
         "email_verified": "true"},
        {"cognito:username": app.new_username(), "email": "not-an-email",
         "email_verified": "true", "cognito:mfa_enabled": "maybe"},
    ]
    job = create_job(idp, app.pool_id, "with-bad-rows")
    done = run_job(idp, app.pool_id, job, csv_text(columns, rows))
    assert done["Status"] == "Succeeded", done
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (1, 1, 3)
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=good)["UserStatus"] == \
        "RESET_REQUIRED"
    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=app.pool_id, Username=unverified)

    report = requests.get(job["PreSignedUrl"], timeout=30).json()
    assert report["UserImportJob"]["FailedUsers"] == 3
    by_line = {e["Line"]: e for e in report["Errors"]}
    assert sorted(by_line) == [3, 4, 5, 6]
    assert by_line[3]["Outcome"] == "FAILED" and "cognito:username" in by_line[3]["Message"]
    assert by_line[4]["Username"] == unverified and "verified" in by_line[4]["Message"]
    assert by_line[5]["Outcome"] == "SKIPPED" and by_line[5]["Username"] == existing
    assert by_line[6]["Outcome"] == "FAILED"


def test_the_upload_url_and_the_job_states_are_guarded(app, idp):
    job = create_job(idp, app.pool_id)
    url = job["PreSignedUrl"]
    assert requests.put(url.split("?")[0], data=b"x", timeout=30).status_code == 403
    assert requests.put(url + "x", data=b"x", timeout=30).status_code == 403
    with cognito_error("PreconditionNotMetException"):
        idp.start_user_import_job(UserPoolId=app.pool_id, JobId=job["JobId"])
    described = idp.describe_user_import_job(UserPoolId=app.pool_id, JobId=job["JobId"])
    assert "PreSignedUrl" not in described["UserImportJob"]

    stopped = idp.stop_user_import_job(UserPoolId=app.pool_id, JobId=job["JobId"])
    assert stopped["UserImportJob"]["Status"] == "Stopped"
    assert requests.put(url, data=b"cognito:username\n", timeout=30).status_code == 409
    with cognito_error("PreconditionNotMetException"):
        idp.stop_user_import_job(UserPoolId=app.pool_id, JobId=job["JobId"])

    with cognito_error("ResourceNotFoundException"):
        idp.describe_user_import_job(UserPoolId=app.pool_id, JobId="import-doesnotexist")

    columns = ["cognito:username", "cognito:mfa_enabled", "shoe_size"]
    failed = run_job(idp, app.pool_id, create_job(idp, app.pool_id, "bad-header"),
                     csv_text(columns, [{"cognito:username": "x"}]))
    assert failed["Status"] == "Failed"
    assert "shoe_size" in failed["CompletionMessage"]

    listed = idp.list_user_import_jobs(UserPoolId=app.pool_id, MaxResults=1)
    assert len(listed["UserImportJobs"]) == 1 and listed["PaginationToken"]
    rest = idp.list_user_import_jobs(UserPoolId=app.pool_id, MaxResults=10,
                                     PaginationToken=listed["PaginationToken"])
    assert len(rest["UserImportJobs"]) == 1 and "PaginationToken" not in rest
