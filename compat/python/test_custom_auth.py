"""CUSTOM_AUTH through boto3: a secret-question challenge driven by Define/Create/
VerifyAuthChallengeResponse functions played by a small webhook receiver started here (an
http.server on 127.0.0.1 in a thread), whose URL is the pool's LambdaConfig. The receiver
records the events it gets, so the test checks the session history Cognito passes to
DefineAuthChallenge."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows import DEFAULT_FLOWS, cognito_error

QUESTION = "What was the name of your first pet?"
MAX_WRONG_ANSWERS = 3


class SecretQuestion:
    """The application's functions: the answers it stores, and the events it received."""

    def __init__(self):
        self.answers = {}
        self.events = []

    def handle(self, event):
        self.events.append(event)
        source = event["triggerSource"]
        request, response = event["request"], event["response"]
        if source.startswith("DefineAuthChallenge_"):
            session = request["session"]
            wrong = sum(1 for r in session if not r["challengeResult"])
            if session and session[-1]["challengeResult"]:
                response.update(issueTokens=True, failAuthentication=False)
            elif wrong >= MAX_WRONG_ANSWERS:
                response.update(issueTokens=False, failAuthentication=True)
            else:
                response.update(challengeName="CUSTOM_CHALLENGE", issueTokens=False,
                                failAuthentication=False)
        elif source.startswith("CreateAuthChallenge_"):
            response.update(
                publicChallengeParameters={"question": QUESTION},
                privateChallengeParameters={"answer": self.answers[event["userName"]]},
                challengeMetadata="PET_QUESTION")
        elif source.startswith("VerifyAuthChallengeResponse_"):
            expected = request["privateChallengeParameters"]["answer"]
            response["answerCorrect"] = request["challengeAnswer"].strip().lower() == expected
        return event

    def sources(self):
        return [e["triggerSource"] for e in self.events]


@pytest.fixture
def secret_question():
    functions = SecretQuestion()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answer = json.dumps(functions.handle(json.loads(body))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    functions.url = f"http://127.0.0.1:{httpd.server_address[1]}/auth"
    yield functions
    httpd.shutdown()
    httpd.server_close()


def _custom_app(app_factory, functions):
    return app_factory(
        pool={"LambdaConfig": {"DefineAuthChallenge": functions.url,
                               "CreateAuthChallenge": functions.url,
                               "VerifyAuthChallengeResponse": functions.url}},
        client={"ExplicitAuthFlows": DEFAULT_FLOWS + ["ALLOW_CUSTOM_AUTH"]})


def _answer(app, challenge, username, answer):
    return app.public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="CUSTOM_CHALLENGE", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "ANSWER": answer})


def test_secret_question_signs_in_after_a_wrong_answer(app_factory, secret_question):
    app = _custom_app(app_factory, secret_question)
    account = app.new_account()
    secret_question.answers[account.username] = "rex"

    challenge = app.initiate_auth("CUSTOM_AUTH", {"USERNAME": account.username})
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert challenge["ChallengeParameters"] == {"question": QUESTION,
                                                "USERNAME": account.username}
    assert secret_question.sources() == ["DefineAuthChallenge_Authentication",
                                         "CreateAuthChallenge_Authentication"]
    define, create = secret_question.events
    assert define["request"]["session"] == []
    assert define["userName"] == account.username
    assert define["callerContext"]["clientId"] == app.client_id
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    secret_question.events.clear()

    # Wrong: a new question in a new Session.
    again = _answer(app, challenge, account.username, "Fido")
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert again["Session"] != challenge["Session"]
    assert "AuthenticationResult" not in again
    verify = secret_question.events[0]
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert verify["request"]["challengeAnswer"] == "Fido"
    assert verify["request"]["privateChallengeParameters"] == {"answer": "rex"}
    history = secret_question.events[1]["request"]["session"]
    assert history == [{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False,
                        "challengeMetadata": "PET_QUESTION"}]
    secret_question.events.clear()

    # Right: tokens.
    done = _answer(app, again, account.username, " Rex ")
    tokens = done["AuthenticationResult"]
    assert tokens["AccessToken"].count(".") == 2 and tokens["RefreshToken"]
    assert secret_question.sources() == ["VerifyAuthChallengeResponse_Authentication",
                                         "DefineAuthChallenge_Authentication"]
    history = secret_question.events[1]["request"]["session"]
    assert [r["challengeResult"] for r in history] == [False, True]
    user = app.public.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == account.username


def test_secret_question_fails_after_too_many_wrong_answers(app_factory, secret_question):
    app = _custom_app(app_factory, secret_question)
    account = app.new_account()
    secret_question.answers[account.username] = "rex"
    challenge = app.initiate_auth("CUSTOM_AUTH", {"USERNAME": account.username})
    for _ in range(MAX_WRONG_ANSWERS - 1):
        challenge = _answer(app, challenge, account.username, "wrong")
        assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _answer(app, challenge, account.username, "wrong")
