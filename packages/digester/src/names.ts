/**
 * Names the upstream k8s-digester v0.1.16 binary hard-codes (cmd/webhook/webhook.go) and the
 * manifests use. The cert rotator patches `caBundle` only into the MutatingWebhookConfiguration of
 * exactly this name and stores its CA in the Secret of exactly this name, so they are not
 * configurable here.
 */
export const WEBHOOK_CONFIGURATION = 'digester-mutating-webhook-configuration';
export const CERT_SECRET = 'digester-webhook-server-cert';
/** Is this the Secret the rotator keeps its CA and serving certificate in? Pure. */
export const isCertSecret = (o: { readonly kind: string; readonly metadata: { readonly name: string } }): boolean => o.kind === 'Secret' && o.metadata.name === CERT_SECRET;
export const SERVICE = 'digester-webhook-service';
export const DEPLOYMENT = 'digester-controller-manager';
export const CONTAINER = 'manager';
/** The placeholder upstream ships before the rotator writes the real CA ("\n", base64). */
export const PLACEHOLDER_CA_BUNDLE = 'Cg==';
/** The name the upstream release manifests carry; rewritten to the configured namespace. */
export const UPSTREAM_NAMESPACE = 'digester-system';
/** The label every namespace carries with its own name (Kubernetes ≥ 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Marks the objects this tool renders, so an operator can find them. */
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'stateless-ci', 'app.kubernetes.io/part-of': 'k8s-digester' };
/** Where the optional docker config Secret is mounted (DOCKER_CONFIG for --offline auth). */
export const DOCKER_CONFIG_DIR = '/docker-config';
/** Artifact name of the manifests in a mirror (STATELESS_CI_MANIFEST_MIRROR). */
export const MIRROR_ARTIFACT = 'k8s-digester';
