package org.custody.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custody.CustodyApplication;

/**
 * The service as an operator runs it: a separate JVM started with the shipped config.yml, configured through its
 * environment variables, in its own working directory (where the embedded database lives). It can be killed without
 * warning (SIGKILL), as a power cut would.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Path CONFIG = Path.of("config.yml").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final int adminPort;

    private ServiceProcess(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * How the JVM is told what to run: the jar named by the system property {@code custody.test.jar} (the integration
     * tests, after {@code package}: the very file that ships), otherwise the build's classes on this JVM's class path
     * (the tests before {@code package}, and the benchmarks, which must run the code as it is now).
     */
    private static List<String> launch() {
        String jar = System.getProperty("custody.test.jar");
        return jar == null ? List.of("-cp", System.getProperty("java.class.path"), CustodyApplication.class.getName()) : List.of("-jar", jar);
    }

    /** Runs a command of the jar (add-user, verify-log…) to completion in {@code directory}; returns its exit status. */
    public static int command(Path directory, Map<String, String> environment, Path output, String... arguments) throws IOException, InterruptedException {
        return command(List.of(), directory, environment, output, arguments);
    }

    /** {@link #command(Path, Map, Path, String...)} in a JVM started with {@code jvmOptions} (none: the JVM's defaults, as {@code java -jar}). */
    public static int command(List<String> jvmOptions, Path directory, Map<String, String> environment, Path output, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(launch());
        command.add(arguments[0]);
        command.add(CONFIG.toString());
        command.addAll(List.of(arguments).subList(1, arguments.length));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        return builder.start().waitFor();
    }

    /** Starts {@code server} and waits until it answers; {@code environment} sets the config.yml variables. */
    public static ServiceProcess start(Path directory, Map<String, String> environment, Path output) throws IOException, InterruptedException {
        int port = freePort();
        // the heap and collector README recommends for a service that must stay within 768 MiB of memory
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx448m", "-XX:+UseParallelGC"));
        // extra JVM options for the service, e.g. a flight recording while a benchmark drives it
        String extra = System.getProperty("bench.serviceJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(launch());
        command.addAll(List.of("server", CONFIG.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("CUSTODY_PORT", Integer.toString(port));
        int adminPort = freePort();
        builder.environment().put("CUSTODY_ADMIN_PORT", Integer.toString(adminPort));
        ServiceProcess service = new ServiceProcess(builder.start(), port, adminPort);
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with status " + process.exitValue() + " while starting");
            }
            try {
                if (send("GET", "/api/v1/log/checkpoint", null, null).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not start within two minutes");
    }

    public TestApp.Reply send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new TestApp.Reply(response.statusCode(), response.headers(), response.body());
    }

    /** A JSON merge patch with If-Match. */
    public TestApp.Reply patch(String path, String token, String ifMatch, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/merge-patch+json")
                .header("If-Match", ifMatch).header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new TestApp.Reply(response.statusCode(), response.headers(), response.body());
    }

    /**
     * A user's first sign-in, with the one-time password {@code add-user} set: the session may only change it, so this
     * changes it to {@code newPassword} and signs in again.
     */
    public String firstSignIn(String username, String oneTime, String newPassword) throws IOException, InterruptedException {
        String limited = signIn(username, oneTime);
        send("PUT", "/api/v1/users/me/password", limited, TestApp.json("currentPassword", oneTime, "newPassword", newPassword)).expect(204);
        return signIn(username, newPassword);
    }

    public String signIn(String username, String password) throws IOException, InterruptedException {
        TestApp.Reply reply = send("POST", "/api/v1/sessions", null, TestApp.json("username", username, "password", password));
        if (reply.status() != 201) {
            throw new IllegalStateException("sign-in failed: " + reply);
        }
        return reply.json().get("token").asText();
    }

    /** The size of the log, from the latest checkpoint the service serves. */
    public long logSize() throws IOException, InterruptedException {
        String checkpoint = send("GET", "/api/v1/log/checkpoint", null, null).body();
        return Long.parseLong(checkpoint.lines().skip(1).findFirst().orElseThrow());
    }

    /** The port the service's API listens on (localhost). */
    public int port() {
        return port;
    }

    /** The service's metrics, as its admin port reports them. */
    public com.fasterxml.jackson.databind.JsonNode metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(60)).build();
        return TestApp.MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
    }

    /** CPU time the process has used so far, user and system, in nanoseconds (Linux: /proc/PID/stat). */
    public long cpuNanos() {
        return new ProcessTreeCpu(process.pid()).nanos();
    }

    /** One named thread's time on a core and waiting for one so far (Linux), or null. */
    public ThreadSchedule threadSchedule(String name) {
        return ThreadSchedule.of(process.pid(), name);
    }

    /** The largest resident set the process has had so far (Linux: VmHWM), in bytes. */
    public long peakResidentBytes() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for process " + process.pid());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: Dropwizard stops gracefully (the ledger writes what is queued). */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
