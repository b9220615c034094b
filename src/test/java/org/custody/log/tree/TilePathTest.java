package org.custody.log.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tile paths as c2sp.org/tlog-tiles spells them, with the examples of the specification. */
class TilePathTest {
    @Test
    void theSpecificationsExamplesReadAndWriteBack() {
        assertThat(TilePath.parse("0", "x001/x234/067")).contains(new TilePath(0, 1_234_067, 256));
        assertThat(new TilePath(0, 1_234_067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(TilePath.parse("2", "x001/x234/067.p/8")).contains(new TilePath(2, 1_234_067, 8));
        assertThat(new TilePath(2, 1_234_067, 8).path()).isEqualTo("tile/2/x001/x234/067.p/8");
        assertThat(TilePath.parse("1", "000")).contains(new TilePath(1, 0, 256));
        assertThat(TilePath.parse("7", "999.p/255")).contains(new TilePath(7, 999, 255));
        assertThat(new TilePath(3, 1000, 1).path()).isEqualTo("tile/3/x001/000.p/1");
    }

    @Test
    void everyOtherSpellingIsRefused() {
        for (String[] path : new String[][] {{"0", "1"}, {"0", "0001"}, {"00", "000"}, {"01", "000"}, {"0", "x000/001"}, {"0", "x001"},
                {"0", "000.p/0"}, {"0", "000.p/256"}, {"0", "000.p/01"}, {"0", "000.p/"}, {"0", "000.p"}, {"0", "000/"},
                {"8", "000"}, {"63", "000"}, {"-1", "000"}, {"0", "x1000/000"}, {"0", "X001/000"}, {"entries", "000"}, {"0", "abc"},
                {"0", "x009/x223/x372/x036/x854/x775/808"}}) {
            assertThat(TilePath.parse(path[0], path[1])).as(String.join("/", path)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void aTileIsInATreeWhenTheTreeHasAllOfItsHashes() {
        assertThat(new TilePath(0, 0, 1).inTreeOf(0)).isFalse();
        assertThat(new TilePath(0, 0, 1).inTreeOf(1)).isTrue();
        assertThat(new TilePath(0, 0, 256).inTreeOf(255)).isFalse();
        assertThat(new TilePath(0, 0, 256).inTreeOf(256)).isTrue();
        assertThat(new TilePath(0, 1, 44).inTreeOf(300)).isTrue();
        assertThat(new TilePath(0, 1, 45).inTreeOf(300)).isFalse();
        // the c2sp example: a tree of 70,000 entries has 273 full level-0 tiles, one of 112, a full level-1 tile, one of 17, one at level 2 of 1
        assertThat(new TilePath(0, 272, 256).inTreeOf(70_000)).isTrue();
        assertThat(new TilePath(0, 273, 112).inTreeOf(70_000)).isTrue();
        assertThat(new TilePath(0, 273, 113).inTreeOf(70_000)).isFalse();
        assertThat(new TilePath(1, 0, 256).inTreeOf(70_000)).isTrue();
        assertThat(new TilePath(1, 1, 17).inTreeOf(70_000)).isTrue();
        assertThat(new TilePath(1, 1, 18).inTreeOf(70_000)).isFalse();
        assertThat(new TilePath(2, 0, 1).inTreeOf(70_000)).isTrue();
        assertThat(new TilePath(2, 0, 2).inTreeOf(70_000)).isFalse();
        assertThat(new TilePath(7, 0, 1).inTreeOf(Long.MAX_VALUE)).isTrue();
        assertThat(new TilePath(0, Long.MAX_VALUE / 256, 256).inTreeOf(Long.MAX_VALUE)).isFalse();
    }
}
