package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Case numbering against a map, for random ids met in random order, some many times. */
class CaseNumbersProperties {
    @Property(tries = 100)
    void numbersIdsInTheOrderFirstMetAndFindsThemAgain(@ForAll @IntRange(min = 1, max = 5_000) int ids,
                                                       @ForAll @IntRange(min = 1, max = 20_000) int meetings, @ForAll long seed) {
        Random random = new Random(seed);
        List<UUID> pool = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            // ids that share their first half, as time-ordered ids made in one millisecond do, beside random ones
            pool.add(i % 2 == 0 ? new UUID(seed, random.nextLong()) : UUID.randomUUID());
        }
        CaseNumbers numbers = new CaseNumbers();
        Map<UUID, Integer> model = new HashMap<>();
        for (int i = 0; i < meetings; i++) {
            UUID id = pool.get(random.nextInt(ids));
            int expected = model.computeIfAbsent(id, key -> model.size());
            assertThat(numbers.number(id)).isEqualTo(expected);
        }
        assertThat(numbers.size()).isEqualTo(model.size());
        model.forEach((id, number) -> {
            assertThat(numbers.find(id)).isEqualTo(number);
            assertThat(numbers.id(number)).isEqualTo(id);
        });
        pool.stream().filter(id -> !model.containsKey(id)).forEach(id -> assertThat(numbers.find(id)).isEqualTo(-1));
        assertThat(numbers.find(new UUID(~seed, seed))).isEqualTo(model.containsKey(new UUID(~seed, seed)) ? model.get(new UUID(~seed, seed)) : -1);
    }

    @Example
    void refusesANumberNotGiven() {
        CaseNumbers numbers = new CaseNumbers();
        numbers.number(new UUID(1, 2));
        assertThatThrownBy(() -> numbers.id(1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessage("no case has number 1");
        assertThatThrownBy(() -> numbers.id(-1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessage("no case has number -1");
    }
}
