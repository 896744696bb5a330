// s3rver (a fake S3) for the tests, started by SoxAuto.Tests/Fixtures/Athena/S3Server.cs.
// It ends when the test process that started it ends (its standard input closes), even when that
// process is killed and cannot stop it. Arguments: <folder> <address> <port>.
import S3rver from 's3rver';

const [directory, address, port] = process.argv.slice(2);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
await new S3rver({ directory, address, port: Number(port), silent: true }).run();
