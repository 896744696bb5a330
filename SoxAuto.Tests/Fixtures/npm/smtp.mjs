// An SMTP server (npm smtp-server) for the notification tests, started by SoxAuto.Tests/Fixtures/SmtpServer.cs.
// It prints "listening", then one JSON line per accepted message: {"from", "to": [...], "data"}.
// SMTP_USER/SMTP_PASSWORD, when set, are required (AUTH PLAIN/LOGIN without TLS, loopback only).
// It ends when the test process that started it ends (its standard input closes). Arguments: <port>.
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2]);
const user = process.env.SMTP_USER;
const password = process.env.SMTP_PASSWORD;
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: !user,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, session, callback) {
    if (auth.username === user && auth.password === password) return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      console.log(JSON.stringify({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user || null,
        data: Buffer.concat(chunks).toString('utf8'),
      }));
      callback();
    });
  },
});
server.on('error', (e) => console.error(e.message));
server.listen(port, '127.0.0.1', () => console.log('listening'));
