package io.cloudpilot.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Kubernetes permission a caller needs for an endpoint when CloudPilot signs callers in with the cluster's own
 * identities ({@code cloudpilot.auth.mode=kubernetes}): before the endpoint runs, the platform asks the API server
 * with a {@code SubjectAccessReview} whether the caller may do this, so the caller's own RBAC applies although
 * CloudPilot reads with its own account. Put it on the resource method (or on the class, for all its methods);
 * repeat it when the endpoint shows several kinds: every one must be allowed.
 *
 * <p>Example: {@code @KubernetesPermission(verb = "patch", group = "apps", resource = "deployments",
 * subresource = "scale", nameParameter = "deployment_name")} on a scaling endpoint.
 *
 * <p>The namespace and name are read from the request: the query parameter of that name, or, for a request with a
 * JSON object as its body, the body's top-level field. A namespace that is absent (or not a string) means all
 * namespaces, which only a cluster-wide permission allows. An endpoint that declares nothing needs the permission
 * on its path as a non-resource URL ({@code nonResourceURLs} in a ClusterRole), as kube-rbac-proxy does; an
 * endpoint that changes something must declare a write verb, or it is treated as undeclared.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(KubernetesPermission.All.class)
public @interface KubernetesPermission {

    /**
     * @return the Kubernetes verb: {@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
     * {@code patch}, {@code delete}
     */
    String verb();

    /**
     * @return the API group, {@code ""} for the core group (pods, services, ...), {@code apps} for deployments
     */
    String group() default "";

    /**
     * @return the resource, plural and lower-case as in RBAC rules: {@code pods}, {@code deployments}
     */
    String resource();

    /**
     * @return the subresource, e.g. {@code log} of pods or {@code scale} of deployments; {@code ""} for none
     */
    String subresource() default "";

    /**
     * @return the request parameter that names the namespace; {@code ""} for cluster-scoped resources (nodes,
     * namespaces), which are always checked cluster-wide
     */
    String namespaceParameter() default "namespace";

    /**
     * @return the namespace the endpoint uses when the request names none; {@code ""}: all namespaces
     */
    String defaultNamespace() default "";

    /**
     * @return the request parameter that names the object (so RBAC rules with {@code resourceNames} apply);
     * {@code ""}: none
     */
    String nameParameter() default "";

    /**
     * The container of repeated {@link KubernetesPermission}s.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface All {
        /**
         * @return the permissions, all needed
         */
        KubernetesPermission[] value();
    }
}
