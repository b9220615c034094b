package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.custody.log.tree.TreeHash;
import org.junit.jupiter.api.Test;

class CheckpointRootsTest {
    private static byte[] rootAt(long size) {
        return TreeHash.leaf(ByteBuffer.allocate(8).putLong(size).array());
    }

    /** Grows a tree from size 1 to {@code to}, recording the root wherever a checkpoint names the size. */
    private static void grow(CheckpointRoots roots, long to) {
        for (long size = 1; size <= to; size++) {
            if (roots.named(size)) {
                roots.record(size, rootAt(size));
            }
        }
    }

    @Test
    void recordsTheRootAtEverySizeACheckpointNamesWhateverTheirOrderAndRepeats() {
        CheckpointRoots roots = new CheckpointRoots(new long[] {9, 3, 0, 3, 1, 20, -4});
        grow(roots, 12);
        assertThat(roots.root(1)).isEqualTo(rootAt(1));
        assertThat(roots.root(3)).isEqualTo(rootAt(3));
        assertThat(roots.root(9)).isEqualTo(rootAt(9));
        assertThat(roots.root(2)).as("no checkpoint names it").isNull();
        assertThat(roots.root(20)).as("named, but beyond the tree").isNull();
        assertThat(roots.root(0)).as("named, but the tree is never empty once grown").isNull();
        assertThat(roots.root(-4)).isNull();
    }

    @Test
    void aRootReadIsACopy() {
        CheckpointRoots roots = new CheckpointRoots(new long[] {2});
        grow(roots, 2);
        roots.root(2)[0] ^= 1;
        assertThat(roots.root(2)).isEqualTo(rootAt(2));
    }

    @Test
    void refusesARootForASizeNoCheckpointNames() {
        CheckpointRoots roots = new CheckpointRoots(new long[] {5});
        assertThatThrownBy(() -> roots.record(4, rootAt(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no checkpoint names size 4, or the root is not a hash");
        assertThatThrownBy(() -> roots.record(5, new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
