package dev.muse4j.onnx.internal.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {
  private static UnaryOperator<@Nullable String> of(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m::get;
  }

  @Test
  void theDefaultRootFollowsEachPlatformsConvention() {
    assertThat(NativeLibraries.defaultRoot(of("os.name", "Linux", "user.home", "/home/u"),
        of("XDG_CACHE_HOME", "/xdg", "HOME", "/h"))).isEqualTo(Path.of("/xdg", "muse4j"));
    assertThat(NativeLibraries.defaultRoot(of("os.name", "Linux", "user.home", "/home/u"),
        of("XDG_CACHE_HOME", "relative", "HOME", "/h"))).isEqualTo(Path.of("/h", ".cache", "muse4j"));
    assertThat(NativeLibraries.defaultRoot(of("os.name", "Linux", "user.home", "/home/u"), of()))
        .isEqualTo(Path.of("/home/u", ".cache", "muse4j"));
    assertThat(NativeLibraries.defaultRoot(of("os.name", "Mac OS X", "user.home", "/Users/u"), of()))
        .isEqualTo(Path.of("/Users/u", "Library", "Caches", "muse4j"));
    assertThat(NativeLibraries.defaultRoot(of("os.name", "Windows 11", "user.home", "/users/u"), of()))
        .isEqualTo(Path.of("/users/u", "AppData", "Local", "muse4j"));
  }

  @Test
  void thePlatformIsNamedAsOnnxRuntimeNamesItsFolders() {
    assertThat(NativeLibraries.platform(of("os.name", "Linux", "os.arch", "amd64"))).isEqualTo("linux-x64");
    assertThat(NativeLibraries.platform(of("os.name", "Linux", "os.arch", "aarch64"))).isEqualTo("linux-aarch64");
    assertThat(NativeLibraries.platform(of("os.name", "Mac OS X", "os.arch", "aarch64"))).isEqualTo("osx-aarch64");
    assertThat(NativeLibraries.platform(of("os.name", "Windows 10", "os.arch", "amd64"))).isEqualTo("win-x64");
    assertThat(NativeLibraries.platform(of("os.name", "SunOS", "os.arch", "sparcv9"))).isNull();
  }

  @Test
  void aUserWhoSetsOnnxRuntimesPathKeepsControl() {
    NativeLibraries.Outcome o = NativeLibraries.prepare(of("onnxruntime.native.path", "/opt/ort"), of());
    assertThat(o.cacheDir()).isEmpty();
    assertThat(o.reason()).contains("onnxruntime.native.path is set to /opt/ort");

    o = NativeLibraries.prepare(of("onnxruntime.native.onnxruntime.path", "/opt/ort/libonnxruntime.so"), of());
    assertThat(o.cacheDir()).isEmpty();
    assertThat(o.reason()).contains("onnxruntime.native.onnxruntime.path");
  }

  @Test
  void theCacheCanBeTurnedOff() {
    NativeLibraries.Outcome o = NativeLibraries.prepare(of("muse4j.onnx.nativeCache", "none"), of());
    assertThat(o.cacheDir()).isEmpty();
    assertThat(o.reason()).contains("muse4j.onnx.nativeCache is none");
  }
}
