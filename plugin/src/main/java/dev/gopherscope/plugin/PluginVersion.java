package dev.gopherscope.plugin;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest. */
final class PluginVersion implements IVersionProvider {

  static String version() {
    String version = PluginVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"kubectl-gopherscope " + version() + " (Java " + Runtime.version() + ")"};
  }
}
