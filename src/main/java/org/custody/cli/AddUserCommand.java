package org.custody.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.Core;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.common.InvalidInputException;
import org.custody.log.Actor;
import org.custody.log.Recorded;

/**
 * {@code add-user config.yml --username NAME --display-name "…" --roles ADMIN,CASE_WORKER}: creates a user
 * from the shell. The password is read from the environment variable {@code CUSTODY_NEW_PASSWORD} or, failing
 * that, from the first line of standard input, never from the command line (where {@code ps} would show it). It is a
 * one-time password, as every password someone else chose for a user is: the user's first session may only change it.
 */
public final class AddUserCommand extends CoreCommand {
    public static final String PASSWORD_VARIABLE = "CUSTODY_NEW_PASSWORD";

    public AddUserCommand() {
        super("add-user", "Creates a user (password from $" + PASSWORD_VARIABLE + " or standard input)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--username").required(true).help("the user name (lower case)");
        subparser.addArgument("--display-name").dest("displayName").required(true).help("the name shown to colleagues");
        subparser.addArgument("--roles").required(true).help("comma-separated: ADMIN, CASE_WORKER, LAWYER");
    }

    @Override
    protected void run(Core core, Namespace namespace) throws Exception {
        Set<Role> roles;
        try {
            roles = Arrays.stream(namespace.getString("roles").split(",")).map(String::trim).map(Role::valueOf)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--roles must list ADMIN, CASE_WORKER or LAWYER", e);
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null) {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            password = stdin.readLine();
        }
        if (password == null) {
            throw new IllegalArgumentException("no password: set " + PASSWORD_VARIABLE + " or pipe it on standard input");
        }
        try {
            Recorded<User> created = core.users().create(Actor.SYSTEM,
                    new NewUser(namespace.getString("username"), namespace.getString("displayName"), password, roles));
            // the expiry as stored, which is what sign-in checks
            Instant expiresAt = core.users().unusedOneTimePasswords().stream().filter(unused -> unused.userId().equals(created.value().id()))
                    .findFirst().orElseThrow().expiresAt();
            System.out.println("Created user " + created.value().username() + " (" + created.value().id() + "), log index " + created.logIndex()
                    + "; the password works once, until " + expiresAt + ": the first sign-in must change it");
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(e.errors().stream().map(error -> error.field() + " " + error.message())
                    .collect(Collectors.joining("; ")), e);
        }
    }
}
