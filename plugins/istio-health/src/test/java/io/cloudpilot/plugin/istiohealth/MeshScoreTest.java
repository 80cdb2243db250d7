package io.cloudpilot.plugin.istiohealth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Severity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The score as the summary computes it: what a number of problems gives, that every further problem lowers it (no
 * floor at 0 after five findings, as the earlier {@code max(0, 100 - 20 * critical - 5 * warning)} had), that a worse
 * mesh never scores higher, and what each dimension is made of.
 */
class MeshScoreTest {

    private static MeshScore.Result score(int critical, int warnings) {
        List<MeshScore.Problems> p = new ArrayList<>();
        if (critical > 0) {
            p.add(new MeshScore.Problems("istio-config", "VirtualServiceSubsetNotFound", "critical", critical));
        }
        if (warnings > 0) {
            p.add(new MeshScore.Problems("data_plane", "SidecarMissing", "warning", warnings));
        }
        return MeshScore.of(p);
    }

    @Test
    void valuesOfTheRule() {
        assertEquals(100.0, score(0, 0).score());
        assertEquals(83.33, score(1, 0).score());
        assertEquals(50.0, score(5, 0).score());
        assertEquals(50.0, score(0, 20).score());
        assertEquals(9.09, score(50, 0).score());
        assertTrue(score(1_000, 1_000).score() > 0, "no number of problems reaches 0");
    }

    @Test
    void everyFurtherProblemLowersTheScore() {
        for (int c = 0; c < 100; c++) {
            assertTrue(score(c + 1, 0).score() < score(c, 0).score(), c + " -> " + (c + 1) + " critical");
            assertTrue(score(c, 1).score() < score(c, 0).score(), c + " critical, one warning more");
        }
        for (int w = 0; w < 400; w++) {
            assertTrue(score(0, w + 1).score() < score(0, w).score(), w + " -> " + (w + 1) + " warnings");
        }
        // five critical problems used to floor the score at 0, hiding the difference between bad and terrible
        assertTrue(score(6, 0).score() < score(5, 0).score() && score(6, 0).score() > 0);
        assertTrue(score(50, 0).score() < score(10, 0).score());
    }

    @Test
    void aWorseMeshNeverScoresHigher() {
        Random random = new Random(17);
        for (int i = 0; i < 1_000; i++) {
            int c = random.nextInt(60);
            int w = random.nextInt(200);
            int moreC = random.nextInt(5);
            int moreW = random.nextInt(5);
            assertTrue(score(c + moreC, w + moreW).score() <= score(c, w).score());
            assertTrue(score(c + moreC, w + moreW).penalty() >= score(c, w).penalty());
        }
    }

    @Test
    void dimensionsSayWhatThePenaltyIsMadeOf() {
        MeshScore.Result r = MeshScore.of(List.of(
                new MeshScore.Problems("data_plane", "SidecarMissing", "warning", 3),
                new MeshScore.Problems("data_plane", "WorkloadNotReady", "critical", 1),
                new MeshScore.Problems("data_plane", "WorkloadNotReady", "warning", 2),
                new MeshScore.Problems("istio-config", "GatewayHostConflict", "critical", 4),
                new MeshScore.Problems("istio-config", "VirtualServiceGatewayLegacyName", "info", 2)));
        assertEquals(15 + 20 + 10 + 80, r.penalty());
        assertEquals(44.44, r.score());
        MeshScore.Dimension data = r.dimensions().get(0);
        assertEquals("data_plane", data.name());
        assertEquals(1, data.critical());
        assertEquals(5, data.warnings());
        assertEquals(45, data.penalty());
        assertEquals(68.97, data.score());
        assertEquals(List.of(new MeshScore.Part("SidecarMissing", "warning", 3, 15),
                new MeshScore.Part("WorkloadNotReady", "critical", 1, 20),
                new MeshScore.Part("WorkloadNotReady", "warning", 2, 10)), data.madeOf());
        MeshScore.Dimension config = r.dimensions().get(1);
        assertEquals(80, config.penalty());
        assertEquals(2, config.infos());
        assertEquals(new MeshScore.Part("VirtualServiceGatewayLegacyName", "info", 2, 0), config.madeOf().get(1));
    }

    @Test
    void aFindingCountsAsManyProblemsAsItsContributorSays() {
        // istio-config reports one finding per code; problem_counts says how many validations each stands for
        HealthContributor.Contribution c = new HealthContributor.Contribution(List.of(
                new HealthContributor.Finding("VirtualServiceSubsetNotFound", Severity.CRITICAL, "12 finding(s)", "/a"),
                new HealthContributor.Finding("GatewayPortNotOnService", Severity.WARNING, "1 finding(s)", "/b"),
                new HealthContributor.Finding("Other", Severity.WARNING, "no count given", "/c")),
                Map.of("problem_counts", Map.of("VirtualServiceSubsetNotFound", 12, "GatewayPortNotOnService", 1)));
        MeshScore.Result r = MeshScore.of(MeshHealth.problems("istio-config", c));
        assertEquals(12 * 20 + 5 + 5, r.penalty());
        assertEquals(12, r.dimensions().getFirst().critical());
    }
}
