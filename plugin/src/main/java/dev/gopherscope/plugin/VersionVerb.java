package dev.gopherscope.plugin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Print the plugin's version.")
final class VersionVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(new PluginVersion().getVersion()[0]);
    return ExitCodes.OK;
  }
}
