// A webhook sample server as providers publish them: express, express.json() to parse the body,
// console.log of each payload, 200 {"received":true}. It keeps nothing; what it prints goes to its
// stdout (a pipe the runner reads and drops, as a terminal would take it), so its ready line and
// its answers to the runner go to fd 3 (child-control.js, CONTROL_FD).
// Usage: node bench/express-sample.js
import express from 'express';
import { answerRunner, controlLine } from './child-control.js';

const app = express();
app.use(express.json());
app.post('/webhook', (req, res) => {
  console.log('Webhook received:', req.body);
  res.status(200).json({ received: true });
});

const server = app.listen(0, '127.0.0.1', () => {
  controlLine({ ready: true, port: server.address().port });
});

// Exit when told to, or when the parent goes away (its end of stdin closes).
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
answerRunner(stop, {}, { controlFd: true });
