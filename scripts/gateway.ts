/**
 * `npm run gateway`: starts a real local OpenClaw gateway (the pinned test version) with a fresh
 * token and prints what to paste into the checker. Ctrl+C stops it and removes its temp state.
 */
import { randomBytes } from 'node:crypto';
import { startGateway } from '../tests/support/gateway.ts';

const token = `t${randomBytes(18).toString('base64url')}`;
console.log('Starting a local OpenClaw gateway (takes 10-50 s)…');
const gateway = await startGateway({ auth: 'token', secret: token, port: Number(process.env.PORT) || undefined });
console.log(`
Gateway ready.

  Gateway URL  ${gateway.wsUrl}
  Token        ${token}

Open the checker (npm start, then http://localhost:4321/checker/) and paste both.
This browser page connects from a loopback origin, so the gateway approves it silently.
To see "pairing required" instead, run in another terminal:

  ${gateway.envLine} npx --prefix tests/openclaw openclaw config set gateway.nodes.pairing.autoApproveLocal false

then run the check again and approve the request id the checker shows with:

  ${gateway.envLine} npx --prefix tests/openclaw openclaw devices approve <requestId>

Press Ctrl+C to stop the gateway.`);

const stop = async () => {
  await gateway.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
