// `npm run demo`: run the example agent end to end against a local OTLP receiver and print
// the trajectories that arrived.
import { startReceiver, printTrees } from "./receiver.mjs";

const receiver = await startReceiver();
process.env.BENTOLABS_API_KEY ??= "bl_pk_demo_local_only_0000";
process.env.BENTOLABS_BASE_URL = receiver.url;

const bento = await import("@bentolabs/sdk");
const { runAgent } = await import("./agent.mjs");
await runAgent();
const result = await bento.flush();
console.log(`\nflush: ${JSON.stringify(result)}; ${receiver.spans.length} spans arrived at ${receiver.url}/v1/traces\n`);
printTrees(receiver.spans);
await receiver.close();
if (receiver.spans.length === 0) process.exitCode = 1;
