package org.custody.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import net.sourceforge.argparse4j.inf.Namespace;
import org.custody.Core;
import org.custody.access.NewGrant;
import org.custody.access.NewUser;
import org.custody.access.Restriction;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.cases.CaseDetails.Detention;
import org.custody.cases.CaseDetails.Military;
import org.custody.cases.CaseDetails.Person;
import org.custody.cases.CaseDetails.Proceedings;
import org.custody.cases.CaseDetails;
import org.custody.cases.CaseRecord;
import org.custody.cases.CaseStatus;
import org.custody.cases.Category;
import org.custody.cases.NewStatusChange;
import org.custody.cases.Sex;
import org.custody.common.PartialDate;
import org.custody.evidence.CustodyAction;
import org.custody.evidence.EvidenceItem;
import org.custody.evidence.NewCustodyEvent;
import org.custody.log.Actor;

/**
 * {@code demo-data config.yml}: loads a handful of invented cases (Armenian- and Cyrillic-script names,
 * partial dates, evidence, status histories) through the same code path as the API. All people, places
 * and numbers here are invented.
 */
public final class DemoDataCommand extends CoreCommand {
    private static final String DEMO_USER = "demo-caseworker";

    public DemoDataCommand() {
        super("demo-data", "Loads invented demo cases through the normal write path");
    }

    @Override
    protected void run(Core core, Namespace namespace) {
        if (core.users().findByUsername(DEMO_USER).isPresent()) {
            System.out.println("Demo data is already loaded");
            return;
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        User worker = core.users().create(Actor.SYSTEM, new NewUser(DEMO_USER, "Demo case worker",
                Base64.getUrlEncoder().encodeToString(secret), EnumSet.of(Role.CASE_WORKER))).value();
        Actor actor = new Actor(worker.id(), worker.username());
        Viewer viewer = Viewer.caseWorker(worker.id(), Instant.now());
        ObjectMapper mapper = new ObjectMapper();

        CaseRecord first = core.cases().create(actor, new CaseDetails(
                new Person("Aram Vardanyan", "Արամ Վարդանյան", List.of("Aram Vardanian"), Sex.MALE, new PartialDate("1999", true), "Armenian", "Invented village"),
                Category.PRISONER_OF_WAR, new Military("Invented unit 12", "Private", "DEMO-0001"),
                new Detention(new PartialDate("2020-11", false), "Invented hill road", "Seen in a video after the fighting ended (invented).",
                        "Invented detaining authority", List.of("Invented detention centre"), new PartialDate("2020-12-10", false), null),
                null, "Invented demo record.")).value();
        CaseRecord second = core.cases().create(actor, new CaseDetails(
                new Person("Anahit Grigoryan", "Անահիտ Գրիգորյան", List.of(), Sex.FEMALE, new PartialDate("1961-03-14", false), "Armenian", "Invented town"),
                Category.CIVILIAN_DETAINEE, null,
                new Detention(new PartialDate("2020-10-27", true), "Invented town", "Taken from her home (invented).", null, List.of(), null, null),
                new Proceedings("Invented charge", "Invented district court", "DEMO-2021-17", List.of(new PartialDate("2021-05-03", false)), null),
                "Invented demo record.")).value();
        CaseRecord third = core.cases().create(actor, new CaseDetails(
                new Person("Sergei Melnikov", "Сергей Мельников", List.of("Sergey Melnikov"), Sex.MALE, new PartialDate("1988-07", false), null, null),
                Category.UNKNOWN, null, new Detention(new PartialDate("2021", true), null, null, null, List.of(), null, "Unknown"),
                null, "Invented demo record.")).value();

        EvidenceItem video = core.evidence().add(actor, viewer, evidence(mapper, "VIDEO", "Video of two captives (invented)",
                "demo video one", List.of(first.id(), second.id()))).value();
        core.evidence().recordCustodyEvent(actor, viewer, video.id(), new NewCustodyEvent(CustodyAction.RECEIVED, Instant.parse("2021-01-05T09:30:00Z"), "Copied from a public channel (invented)"));
        core.evidence().recordCustodyEvent(actor, viewer, video.id(), new NewCustodyEvent(CustodyAction.VERIFIED, Instant.parse("2021-01-06T14:00:00Z"), "Hash checked (invented)"));

        core.cases().changeStatus(actor, viewer, first.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, new PartialDate("2020-12", false), "Seen in the video", List.of(video.id())));
        core.cases().changeStatus(actor, viewer, first.id(), new NewStatusChange(CaseStatus.REPATRIATED, new PartialDate("2021-06-12", false), "Returned in an exchange (invented)", List.of()));
        core.cases().changeStatus(actor, viewer, second.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, new PartialDate("2020-12", true), null, List.of(video.id())));
        core.cases().changeStatus(actor, viewer, second.id(), new NewStatusChange(CaseStatus.CHARGED, new PartialDate("2021-04", false), null, List.of()));
        core.cases().changeStatus(actor, viewer, third.id(), new NewStatusChange(CaseStatus.WHEREABOUTS_UNKNOWN, new PartialDate("2021", true), null, List.of()));
        // The third case is restricted; the demo case worker keeps sight of it through a grant.
        core.grants().restrict(Actor.SYSTEM, third.id(), new Restriction(true, "Invented: the family asked for discretion"));
        core.grants().grant(Actor.SYSTEM, third.id(), new NewGrant(worker.id(), null, "Invented: the case worker who took the report"));
        System.out.println("Loaded 3 invented cases: " + first.reference() + ", " + second.reference() + ", " + third.reference());
    }

    private static ObjectNode evidence(ObjectMapper mapper, String kind, String title, String inventedContent, List<UUID> caseIds) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", kind);
        node.put("title", title);
        node.put("sha256", HexFormat.of().formatHex(sha256(inventedContent)));
        node.put("mediaType", "video/mp4");
        node.put("archiveLocator", "demo-archive://box-1/item-7");
        node.putObject("obtainedAt").put("date", "2021-01").put("approximate", false);
        caseIds.forEach(id -> node.withArray("caseIds").add(id.toString()));
        return node;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
