package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.ApiCatalog.GroupVersion;
import io.cloudpilot.sandbox.ApiCatalog.Resource;

import java.util.Arrays;
import java.util.List;

/**
 * A path of the resource API, resolved against the catalog:
 * {@code /api/v1/namespaces/shop/pods/frontend-x/log} or {@code /apis/apps/v1/deployments}.
 *
 * @param groupVersion the group/version
 * @param resource     the resource, or {@code null} for the version's discovery document
 * @param namespace    the namespace, or {@code null}
 * @param name         the object name, or {@code null} for the collection
 * @param subresource  the subresource, or {@code null}
 */
record ResourcePath(GroupVersion groupVersion, Resource resource, String namespace, String name,
                    String subresource) {

    /**
     * Resolves a path.
     *
     * @param path    the path, starting with {@code /api/} or {@code /apis/}
     * @param catalog the catalog
     * @return the resolved path, or {@code null} for a path outside the resource API
     * @throws ApiException 404 for an unknown group, version, resource or subresource
     */
    static ResourcePath parse(String path, ApiCatalog catalog) {
        List<String> segments = Arrays.asList(path.substring(1).split("/"));
        GroupVersion gv;
        List<String> rest;
        if (segments.get(0).equals("api") && segments.size() >= 2) {
            gv = catalog.groupVersion("", segments.get(1)).orElseThrow(ApiException::noSuchPath);
            rest = segments.subList(2, segments.size());
        } else if (segments.get(0).equals("apis") && segments.size() >= 3) {
            gv = catalog.groupVersion(segments.get(1), segments.get(2)).orElseThrow(ApiException::noSuchPath);
            rest = segments.subList(3, segments.size());
        } else {
            return null;
        }
        if (rest.isEmpty()) {
            return new ResourcePath(gv, null, null, null, null);
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3 && gv.resource(rest.get(2))
                .filter(Resource::namespaced).isPresent()) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.size() > 3 || rest.stream().anyMatch(String::isEmpty)) {
            throw ApiException.noSuchPath();
        }
        Resource resource = gv.resource(rest.get(0)).orElseThrow(ApiException::noSuchPath);
        if (namespace != null && !resource.namespaced()) {
            throw ApiException.noSuchPath();
        }
        String name = rest.size() >= 2 ? rest.get(1) : null;
        String sub = rest.size() == 3 ? rest.get(2) : null;
        if (sub != null && !resource.hasSubresource(sub)) {
            throw ApiException.noSuchPath();
        }
        return new ResourcePath(gv, resource, namespace, name, sub);
    }

    String group() {
        return groupVersion.group();
    }

    /**
     * The path of this resource at another version of its group (the storage version), without subresource.
     *
     * @param version the version
     * @return the object path, or the collection path when there is no name
     */
    String pathAt(String version) {
        StringBuilder sb = new StringBuilder(group().isEmpty() ? "/api/" + version : "/apis/" + group() + "/"
                + version);
        if (namespace != null) {
            sb.append("/namespaces/").append(namespace);
        }
        sb.append('/').append(resource.plural());
        if (name != null) {
            sb.append('/').append(name);
        }
        return sb.toString();
    }

    String collectionPathAt(String version) {
        return new ResourcePath(groupVersion, resource, namespace, null, null).pathAt(version);
    }

    ApiException notFound() {
        return ApiException.notFound(resource.plural(), group(), name);
    }
}
