package io.cloudpilot.plugin.istioworkloads;

import java.util.Map;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The two Istio workloads this plugin explains, and how each is recognised: by label, never by a fixed name, so
 * revisioned ({@code istiod-canary}) and Helm-named installs are found too.
 */
enum IstioComponent {

    /** The control plane: Deployments labelled {@code app=istiod} or {@code istio=pilot}. */
    ISTIOD("istiod", "istiod", "app=istiod or istio=pilot", "discovery", "ControlPlaneDown"),

    /** The ingress gateway: Deployments labelled {@code istio=ingressgateway}. */
    GATEWAY("gateway", "ingress gateway", "istio=ingressgateway", "istio-proxy", "GatewayDown");

    private final String id;
    private final String title;
    private final String labels;
    private final String mainContainer;
    private final String downCode;

    IstioComponent(String id, String title, String labels, String mainContainer, String downCode) {
        this.id = id;
        this.title = title;
        this.labels = labels;
        this.mainContainer = mainContainer;
        this.downCode = downCode;
    }

    /** @return the path segment, {@code istiod} or {@code gateway} */
    String id() {
        return id;
    }

    /** @return how an operator calls it */
    String title() {
        return title;
    }

    /** @return the labels that identify it, as a sentence fragment */
    String labels() {
        return labels;
    }

    /** @return the container whose image tag is the Istio version */
    String mainContainer() {
        return mainContainer;
    }

    /** @return the finding code when no replica is ready */
    String downCode() {
        return downCode;
    }

    /** @return the endpoint family of this component, e.g. {@code /istio/workloads/istiod} */
    String path() {
        return "/istio/workloads/" + id;
    }

    /**
     * @param d a Deployment
     * @return whether it is this component: its own labels or its pod template's labels say so
     */
    boolean matches(Deployment d) {
        return matches(d.getMetadata() == null ? null : d.getMetadata().getLabels())
                || (d.getSpec() != null && d.getSpec().getTemplate() != null && d.getSpec().getTemplate().getMetadata() != null
                && matches(d.getSpec().getTemplate().getMetadata().getLabels()));
    }

    private boolean matches(Map<String, String> l) {
        if (l == null) {
            return false;
        }
        return switch (this) {
            case ISTIOD -> "istiod".equals(l.get("app")) || "pilot".equals(l.get("istio"));
            case GATEWAY -> "ingressgateway".equals(l.get("istio"));
        };
    }
}
