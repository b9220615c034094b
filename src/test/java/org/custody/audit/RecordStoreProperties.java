package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The record store against a plain map, through random puts, replacements and removals. */
class RecordStoreProperties {
    /** Keys that hash apart and together, of one and of several bytes per character. */
    private static String key(int number) {
        return switch (number % 3) {
            case 0 -> "case-" + number;
            case 1 -> "Հայ-" + number;
            default -> String.valueOf(number);
        };
    }

    @Property(tries = 200)
    void behavesAsAMapThroughPutsReplacementsAndRemovals(@ForAll @IntRange(min = 1, max = 300) int chunkSize,
                                                         @ForAll @IntRange(min = 1, max = 400) int keys,
                                                         @ForAll @IntRange(min = 1, max = 3_000) int operations,
                                                         @ForAll long seed) {
        Random random = new Random(seed);
        RecordStore store = new RecordStore(chunkSize);
        Map<String, byte[]> model = new HashMap<>();
        for (int i = 0; i < operations; i++) {
            String key = key(random.nextInt(keys));
            int choice = random.nextInt(10);
            if (choice < 6) {
                byte[] value = new byte[random.nextInt(chunkSize * 2 + 1)];
                random.nextBytes(value);
                store.put(key, value);
                model.put(key, value.clone());
                if (value.length > 0) {
                    value[0] ^= 1; // the store keeps its own copy
                }
            } else if (choice < 9) {
                assertThat(store.remove(key)).isEqualTo(model.remove(key));
            } else {
                assertThat(store.get(key)).isEqualTo(model.get(key));
            }
            assertThat(store.size()).isEqualTo(model.size());
        }
        assertThat(store.keys()).containsExactlyElementsOf(new TreeSet<>(model.keySet()));
        model.forEach((key, value) -> {
            assertThat(store.containsKey(key)).isTrue();
            assertThat(store.get(key)).isEqualTo(value);
        });
        assertThat(store.containsKey(key(keys))).isFalse();
        assertThat(store.get(key(keys))).isNull();
    }

    @Example
    void aValueReadIsACopy() {
        RecordStore store = new RecordStore();
        store.put("a", new byte[] {1, 2, 3});
        store.get("a")[0] = 9;
        assertThat(store.get("a")).containsExactly(1, 2, 3);
    }

    @Example
    void clearLeavesNothingAndTheStoreStillWorks() {
        RecordStore store = new RecordStore(8);
        for (int i = 0; i < 100; i++) {
            store.put(key(i), new byte[] {(byte) i});
        }
        store.clear();
        assertThat(store.size()).isZero();
        assertThat(store.keys()).isEmpty();
        assertThat(store.get(key(5))).isNull();
        store.put(key(5), new byte[] {7});
        assertThat(store.get(key(5))).containsExactly(7);
    }

    @Example
    void refusesAChunkSizeBelowOne() {
        assertThatThrownBy(() -> new RecordStore(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("chunk size must be positive");
    }
}
