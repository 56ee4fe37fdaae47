// The bundle's entry: every workflow type is exported from here (sdk-typescript #1724).
export { runPlaybook } from './run-playbook.js';
export { drill } from './drill.js';
export { runCampaign } from './campaign.js';
export { remediateFinding } from './finding.js';
