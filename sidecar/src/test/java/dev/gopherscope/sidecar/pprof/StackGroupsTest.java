package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackGroupsTest {

  private static final String[] IDLE = {"runtime.gopark", "runtime.chanrecv", "main.idleWorker"};
  private static final String[] HANDLER = {"runtime.gopark", "time.Sleep", "main.sleepFor", "main.handleSleep"};

  @Test
  void groupsByFunctionSequenceWithCountsLargestFirst() {
    PprofProfile p = ProfileBuilder.goroutines()
        .goroutine(3, Map.of("route", "/idle", "worker", "0"), IDLE)
        .goroutine(4, Map.of("route", "/idle", "worker", "1"), IDLE)
        .goroutine(2, Map.of("route", "/sleep"), HANDLER)
        .goroutine(1, Map.of(), "runtime.goexit")
        .build();

    StackGroups groups = StackGroups.of(p, StackGroupOptions.defaults());

    assertThat(groups.total()).isEqualTo(10);
    assertThat(groups.groups()).extracting(StackGroup::count).containsExactly(7L, 2L, 1L);
    StackGroup idle = groups.groups().get(0);
    assertThat(idle.stack()).containsExactly(IDLE);
    assertThat(idle.topFrames()).extracting(StackFrame::function).containsExactly(IDLE);
    assertThat(idle.labelSets()).containsExactly(
        Map.of("route", "/idle", "worker", "0"), Map.of("route", "/idle", "worker", "1"));
    assertThat(groups.groups().get(2).labelSets()).isEmpty();
    assertThat(groups.otherGroups()).isZero();
  }

  @Test
  void fileAndLineSplitGroupsThatShareFunctions() {
    PprofProfile p = ProfileBuilder.goroutines()
        .goroutine(5, Map.of(), "main.wait@/src/main.go:10", "main.run@/src/main.go:30")
        .goroutine(2, Map.of(), "main.wait@/src/main.go:12", "main.run@/src/main.go:30")
        .build();

    StackGroups byFunction = StackGroups.of(p, StackGroupOptions.defaults());
    StackGroups byLine = StackGroups.of(p, StackGroupOptions.defaults().withFileAndLine(true));

    assertThat(byFunction.groups()).singleElement().satisfies(g -> {
      assertThat(g.count()).isEqualTo(7);
      assertThat(g.stack()).containsExactly("main.wait", "main.run");
    });
    assertThat(byLine.groups()).extracting(StackGroup::stack).containsExactly(
        List.of("main.wait /src/main.go:10", "main.run /src/main.go:30"),
        List.of("main.wait /src/main.go:12", "main.run /src/main.go:30"));
    assertThat(byLine.groups().get(1).topFrames().get(0)).isEqualTo(new StackFrame("main.wait", "/src/main.go", 12));
  }

  @Test
  void inlinedFramesAreExpandedInnermostFirst() {
    StringTable strings = StringTable.of(List.of("", "goroutine", "count", "main.leaf", "main.caller", "main.go"));
    PprofProfile p = new PprofProfile(List.of(new ValueType(1, 2)),
        Samples.builder().add(new long[] {1}, new long[] {4}, List.of()).build(),
        List.of(),
        List.of(new Location(1, 0, 0x10, List.of(new Line(1, 5, 0), new Line(2, 9, 0)), false)),
        List.of(new Function(1, 3, 3, 5, 1), new Function(2, 4, 4, 5, 1)),
        strings, 0, 0, 0, 0, ValueType.NONE, 0, List.of(), 0, 0);

    StackGroups groups = StackGroups.of(p, StackGroupOptions.defaults());

    assertThat(groups.groups()).singleElement()
        .satisfies(g -> assertThat(g.stack()).containsExactly("main.leaf", "main.caller"));
  }

  @Test
  void anUnsymbolizedLocationShowsItsAddress() {
    StringTable strings = StringTable.of(List.of("", "goroutine", "count"));
    PprofProfile p = new PprofProfile(List.of(new ValueType(1, 2)),
        Samples.builder().add(new long[] {1}, new long[] {1}, List.of()).build(),
        List.of(), List.of(new Location(1, 0, 0x4881ad, List.of(), false)), List.of(),
        strings, 0, 0, 0, 0, ValueType.NONE, 0, List.of(), 0, 0);

    assertThat(StackGroups.of(p, StackGroupOptions.defaults()).groups().get(0).stack()).containsExactly("0x4881ad");
  }

  @Test
  void groupsBeyondTheLimitGoToTheOtherBucket() {
    ProfileBuilder b = ProfileBuilder.goroutines();
    for (int i = 0; i < 10; i++) {
      b.goroutine(10 - i, Map.of(), "main.f" + i);
    }

    StackGroups groups = StackGroups.of(b.build(), StackGroupOptions.defaults().withMaxGroups(3));

    assertThat(groups.groups()).extracting(StackGroup::count).containsExactly(10L, 9L, 8L);
    assertThat(groups.otherGroups()).isEqualTo(7);
    assertThat(groups.otherCount()).isEqualTo(7 + 6 + 5 + 4 + 3 + 2 + 1);
    assertThat(groups.total()).isEqualTo(55);
  }

  @Test
  void labelSetsAndTopFramesAreBounded() {
    ProfileBuilder b = ProfileBuilder.goroutines();
    for (int i = 0; i < 8; i++) {
      b.goroutine(1, Map.of("worker", String.valueOf(i)), "f1", "f2", "f3", "f4", "f5");
    }
    StackGroupOptions options = new StackGroupOptions(false, 2, 10, 3);

    StackGroup group = StackGroups.of(b.build(), options).groups().get(0);

    assertThat(group.count()).isEqualTo(8);
    assertThat(group.stack()).hasSize(5);
    assertThat(group.topFrames()).extracting(StackFrame::function).containsExactly("f1", "f2");
    assertThat(group.labelSets()).hasSize(3);
    assertThat(group.moreLabelSets()).isTrue();
  }

  @Test
  void equalCountsAreOrderedByStackSoOutputIsStable() {
    PprofProfile p = ProfileBuilder.goroutines()
        .goroutine(1, Map.of(), "main.b")
        .goroutine(1, Map.of(), "main.a")
        .build();

    assertThat(StackGroups.of(p, StackGroupOptions.defaults()).groups())
        .extracting(g -> g.stack().get(0)).containsExactly("main.a", "main.b");
  }

  @Test
  void groupsTheRealGoroutineFixture() {
    PprofProfile p = Fixtures.decode(Fixtures.GOROUTINES);

    StackGroups groups = StackGroups.of(p, StackGroupOptions.defaults());

    assertThat(groups.total()).isEqualTo(p.total(0));
    StackGroup idle = groups.groups().stream().filter(g -> g.stack().contains("main.idleWorker")).findFirst().orElseThrow();
    assertThat(idle.count()).isEqualTo(20);
    assertThat(idle.labelSets()).hasSize(5).allSatisfy(set -> assertThat(set).containsEntry("route", "/idle"));
    assertThat(idle.moreLabelSets()).isTrue();
    StackGroup fanout = groups.groups().stream().filter(g -> g.stack().get(3).equals("main.fanoutWorker")).findFirst().orElseThrow();
    assertThat(fanout.count()).isEqualTo(5);
    assertThat(fanout.labelSets()).singleElement()
        .satisfies(set -> assertThat(set).containsEntry("trace_id", Fixtures.FANOUT_TRACE));
  }
}
