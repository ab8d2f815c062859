"""A test SMTP server (aiosmtpd) on 127.0.0.1 and a free port.

Prints the port on the first line of stdout, then serves until stdin closes
or SIGTERM (the test process may have started it with signals blocked).
Each accepted message is saved as DIR/<n>.eml and described in DIR/<n>.json
(envelope and the client's port, which tells connections apart).
DIR/rules.json, read at every RCPT TO, may map a recipient to a reply such as
"451 4.7.1 try later" or "550 5.1.1 no such user"; rewrite it to change them.
A key "DATA <recipient>" gives the reply to that recipient's message instead.
With --auth USER:PASSWORD the server requires AUTH PLAIN/LOGIN with those.
With --tls CERT,KEY it offers STARTTLS with that certificate; with
--implicit-tls CERT,KEY it speaks TLS from the first byte (smtps).
With --discard it keeps nothing and only counts, into DIR/count at exit
(for Benchmarks/smtp-throughput).
"""
import argparse, asyncio, json, os, signal, ssl, sys, threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--dir", required=True)
parser.add_argument("--auth")
parser.add_argument("--discard", action="store_true")
parser.add_argument("--tls")
parser.add_argument("--implicit-tls")
args = parser.parse_args()


def server_context(pair):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*pair.split(","))
    return context


def read_rules():
    try:
        with open(os.path.join(args.dir, "rules.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


class Handler:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rules = read_rules()
        if address in rules:
            return rules[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if args.discard:
            return "250 OK"
        rules = read_rules()
        for address in envelope.rcpt_tos:
            if "DATA " + address in rules:
                self.count -= 1
                return rules["DATA " + address]
        base = os.path.join(args.dir, str(self.count))
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "client_port": session.peer[1]}, f)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
          and auth_data.password.decode() == password)
    return AuthResult(success=ok, handled=False)


handler = Handler()


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    if args.discard:
        with open(os.path.join(args.dir, "count"), "w") as f:
            f.write(str(handler.count))
    os._exit(0)


async def main():
    options = {}
    if args.auth:
        options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if args.tls:
        options.update(tls_context=server_context(args.tls), require_starttls=True)
    implicit = server_context(args.implicit_tls) if args.implicit_tls else None
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="flowc-test", **options), "127.0.0.1", 0, ssl=implicit)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, signal.SIG_DFL)
threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
asyncio.run(main())
