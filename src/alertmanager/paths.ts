/** Where the Alertmanager files go in the output (apart from the emitter, so `vigil routes test` need not load it). */
export const ALERTMANAGER_CONFIG_PATH = "alertmanager/alertmanager.yml";
export const ROUTING_TESTS_PATH = "alertmanager/routing-tests.yml";
export const WRITE_SECRETS_PATH = "alertmanager/write-secrets.sh";
