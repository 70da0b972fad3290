package ai.infinium.connector.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in rule with a realistic credential in the text an agent sees (a command, an .env
 * dump, a config file, a tool input as compact JSON) and a near miss of its own that must stay as
 * it is. The credentials are made up, in the real formats; none is a real key. The corpus
 * ({@link RedactionCorpusTest}) holds many more of both.
 */
class RedactorTest {
    static final Redactor R = Redactor.defaults();

    static Stream<Arguments> credentials() {
        return Stream.of(
                Arguments.of("aws-access-key-id", "export AWS_ACCESS_KEY_ID=AKIAAXXVX2KLLC7LK7GF",
                        "AKIAAXXVX2KLLC7LK7GF"),
                Arguments.of("aws-secret-access-key", "aws configure set aws_secret_access_key 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",
                        "LdtTUfxDqCh9U73y2F1IcBe1y8/jA/VcouK5YJz0"),
                Arguments.of("aws-session-token", "export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEwddZoBjXS8eBQ1PtNK6HndPkNu1XRJ1kIfWkNJbgflj9Qb60OwhyEyiEoYITdWdiwr4eLC/o7mwT2yvjUgDX0YXye2s4MxghwpoegjaHHG3mnGKFltrsGlp1RrSHesVbNoOD9mdwit9w4yGLcp8IJZYTBCOZSaGAbCwf8nzCTvunkCFU/4CWsoxyI6B+Ra1ILfmomVWZUWB12odGU7c0HuAq12cGGNLERvquwaCWhgWDz1me1CPWhppXZ50yq18zxjA1r9c+sOvmDzKO31XRHnSEmhsrbdh+1KV0Rzf1iVHaTrKJeKEfEw6PgpeXmiE35YMtm5lngHxGTgiZTeqfzRIHkr87cT358X208lSe==",
                        "IQoJb3JpZ2luX2VjEwddZoBjXS8eBQ1PtNK6HndPkNu1XRJ1kIfWkNJbgflj9Qb60OwhyEyiEoYITdWdiwr4eLC/o7mwT2yvjUgDX0YXye2s4MxghwpoegjaHHG3mnGKFltrsGlp1RrSHesVbNoOD9mdwit9w4yGLcp8IJZYTBCOZSaGAbCwf8nzCTvunkCFU/4CWsoxyI6B+Ra1ILfmomVWZUWB12odGU7c0HuAq12cGGNLERvquwaCWhgWDz1me1CPWhppXZ50yq18zxjA1r9c+sOvmDzKO31XRHnSEmhsrbdh+1KV0Rzf1iVHaTrKJeKEfEw6PgpeXmiE35YMtm5lngHxGTgiZTeqfzRIHkr87cT358X208lSe=="),
                Arguments.of("azure-storage-key", "ServiceBus__ConnectionString=Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=aiu2/cYmgrebY4r1LhR4V+aDxJSTV5pVAavSQT/pZr3=\n",
                        "aiu2/cYmgrebY4r1LhR4V+aDxJSTV5pVAavSQT/pZr3="),
                Arguments.of("azure-ad-client-secret", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nAZURE_CLIENT_SECRET=Mc17Q~fVcaAOUoMnOVQJhJahBhfyxGAJI80hJvhn\nPORT=8080\n",
                        "Mc17Q~fVcaAOUoMnOVQJhJahBhfyxGAJI80hJvhn"),
                Arguments.of("url-signature", "download it from https://acme-builds.s3.amazonaws.com/app.zip?X-Amz-Expires=600&X-Amz-Signature=1c9b4d98f046324c7043eab13b6fdbb5396978d03a85a78e1ad840630541c360&X-Amz-SignedHeaders=host",
                        "1c9b4d98f046324c7043eab13b6fdbb5396978d03a85a78e1ad840630541c360"),
                Arguments.of("google-api-key", "curl \"https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=AIza1oUs69Kt-Iw92QbuVYHxycMgDcK9PuN7D2A\"",
                        "AIza1oUs69Kt-Iw92QbuVYHxycMgDcK9PuN7D2A"),
                Arguments.of("gcp-oauth-client-secret", "{\"file_path\":\"/app/.env.local\",\"content\":\"GOOGLE_CLIENT_ID=1234567890-abc.apps.googleusercontent.com\\nGOOGLE_CLIENT_SECRET=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\\n\"}",
                        "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"),
                Arguments.of("google-oauth-access-token", "$ gcloud auth print-access-token\nya29.a0MgeZGDGoBu8KO4_x5nnR2uag9wFJZ9Drd2282ANT885Iwg7OT-GkwMnvgmSfRfB97JVpwRWy7ntjL5DQjJoUIlgfdm5OUngLJ8lAdGSvf_mNiwNAF4KSw7jqhSDO3F4CDcsojPEIxX7EOAlTlS172iRGE4SInH9j\n",
                        "ya29.a0MgeZGDGoBu8KO4_x5nnR2uag9wFJZ9Drd2282ANT885Iwg7OT-GkwMnvgmSfRfB97JVpwRWy7ntjL5DQjJoUIlgfdm5OUngLJ8lAdGSvf_mNiwNAF4KSw7jqhSDO3F4CDcsojPEIxX7EOAlTlS172iRGE4SInH9j"),
                Arguments.of("google-oauth-refresh-token", "{\"stdout\":\"{\\\"client_id\\\": \\\"764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com\\\", \\\"client_secret\\\": \\\"d-FL95Q19q7MQmFpd7hHD0Ty\\\", \\\"refresh_token\\\": \\\"1//0h8KlWyWfQPl7QNkYWB9GXpsOP4MWC2xCWnIS2YVM_j9g7kSBlwwKfcOiEQKLaifPmV-q0rACCmKIT2w7UbOAyi6-q10DdRCFIM5o\\\", \\\"type\\\": \\\"authorized_user\\\"}\",\"stderr\":\"\"}",
                        "1//0h8KlWyWfQPl7QNkYWB9GXpsOP4MWC2xCWnIS2YVM_j9g7kSBlwwKfcOiEQKLaifPmV-q0rACCmKIT2w7UbOAyi6-q10DdRCFIM5o"),
                Arguments.of("alibaba-access-key-id", "aliyun configure set --access-key-id LTAI1iwGvmnSHt6IknKA14EF --region cn-hangzhou",
                        "LTAI1iwGvmnSHt6IknKA14EF"),
                Arguments.of("github-token", "GH_TOKEN=ghu_EsneOnHvT7rUxZfMF5bq7KIRHTmLI8WhBmen gh api user",
                        "ghu_EsneOnHvT7rUxZfMF5bq7KIRHTmLI8WhBmen"),
                Arguments.of("github-fine-grained-pat", "echo 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 | gh auth login --with-token",
                        "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"),
                Arguments.of("gitlab-token", "{\"env\":{\"GITLAB_PERSONAL_ACCESS_TOKEN\":\"glpat-GtCptr9VgCidrGjGTa2hRmIvuC3Dog9uWM97.67hauypfm\"}}",
                        "glpat-GtCptr9VgCidrGjGTa2hRmIvuC3Dog9uWM97.67hauypfm"),
                Arguments.of("gitlab-runner-token", "gitlab-runner register --non-interactive --url https://gitlab.com --token glrt-Wo7qgpN_hG9-XkqozQvt --executor docker",
                        "glrt-Wo7qgpN_hG9-XkqozQvt"),
                Arguments.of("gitlab-deploy-token", "git clone https://gitlab+deploy-token-4711:gldt-qRHn_0Q0woRSzKdd8Atv@gitlab.com/acme/charts.git",
                        "gldt-qRHn_0Q0woRSzKdd8Atv"),
                Arguments.of("gitlab-other-token", "TRIGGER_TOKEN=glptt-20b455045cf5f149dcf55086aa4486f007871076\n",
                        "glptt-20b455045cf5f149dcf55086aa4486f007871076"),
                Arguments.of("bitbucket-app-password", "git push https://dev:ATBB7pUIiVcq3Pdskzbq9qr871RIFtFuCjDW@bitbucket.org/acme/web.git main",
                        "ATBB7pUIiVcq3Pdskzbq9qr871RIFtFuCjDW"),
                Arguments.of("atlassian-api-token", "curl -u dev@acme.dev:ATATT3xFfGF0hMy_nQj_iJEU5uMPI2BMjxZ8xTLQmM7CeV7tg6nT-YrOO0pSUI8jaTpzONPaCMbOBtTDfTDDmLB5ckJp8HVtm-Q6pAOayBOYdTNz0qCbSP6Au2s7eARbdWVMhXtplBbNaJ-0rQBX9BSx6EoXdiu_pLj3atOA1xE9xbZvv4QClR=9HFC4OZS https://acme.atlassian.net/rest/api/3/myself",
                        "ATATT3xFfGF0hMy_nQj_iJEU5uMPI2BMjxZ8xTLQmM7CeV7tg6nT-YrOO0pSUI8jaTpzONPaCMbOBtTDfTDDmLB5ckJp8HVtm-Q6pAOayBOYdTNz0qCbSP6Au2s7eARbdWVMhXtplBbNaJ-0rQBX9BSx6EoXdiu_pLj3atOA1xE9xbZvv4QClR=9HFC4OZS"),
                Arguments.of("npm-token", "publish fails with E401, the token is npm_RTSfeuT5geJ3maSlpQoODG9KSOUKoqkA77vC",
                        "npm_RTSfeuT5geJ3maSlpQoODG9KSOUKoqkA77vC"),
                Arguments.of("npmrc-auth", "{\"file_path\":\"/app/.yarnrc.yml\",\"content\":\"npmAuthToken: oEHnK0IdscFPEQu5U9l61oxQiCuxtP4LxoqUoUnS\\n\"}",
                        "oEHnK0IdscFPEQu5U9l61oxQiCuxtP4LxoqUoUnS"),
                Arguments.of("pypi-token", "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmc0ugyW_uMQEHQ56XHHj-xQrrj3jyAN6uf4TCpRlUV81tRh8e2SXmN7RaZZmXBwkyFF4aCTxJJlJ00FS2cMizkrTL8N9Xj9SyZcqbtU0o8yfS1NSugvCvlt7DAdUnzRTmwTns7VB8KiPi6ASSVTKrP5x dist/*",
                        "pypi-AgEIcHlwaS5vcmc0ugyW_uMQEHQ56XHHj-xQrrj3jyAN6uf4TCpRlUV81tRh8e2SXmN7RaZZmXBwkyFF4aCTxJJlJ00FS2cMizkrTL8N9Xj9SyZcqbtU0o8yfS1NSugvCvlt7DAdUnzRTmwTns7VB8KiPi6ASSVTKrP5x"),
                Arguments.of("rubygems-token", "GEM_HOST_API_KEY=rubygems_5fb5fed7179cf4f83726dcdce39b9daaf37a35ec9f03f546 gem push acme-2.1.0.gem",
                        "rubygems_5fb5fed7179cf4f83726dcdce39b9daaf37a35ec9f03f546"),
                Arguments.of("nuget-api-key", "dotnet nuget push bin/Release/Acme.Core.2.1.0.nupkg --api-key oy23ryl9d2k6ezs55wtigswa0x8vkpp474vfubymnwbhx9 --source https://api.nuget.org/v3/index.json",
                        "oy23ryl9d2k6ezs55wtigswa0x8vkpp474vfubymnwbhx9"),
                Arguments.of("dockerhub-token", "echo dckr_pat_oi1_OIrnMVGW5coTKsXYrV-PQx6 | docker login -u acmeci --password-stdin",
                        "dckr_pat_oi1_OIrnMVGW5coTKsXYrV-PQx6"),
                Arguments.of("docker-config-auth", "$ cat ~/.docker/config.json\n{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": \"YWNtZWNpOnoxc3I0eE5XYkNFRlpCZ0ZycQ==\"\n\t\t},\n\t\t\"ghcr.io\": {}\n\t},\n\t\"credsStore\": \"\"\n}\n",
                        "YWNtZWNpOnoxc3I0eE5XYkNFRlpCZ0ZycQ=="),
                Arguments.of("clojars-token", "CLOJARS_USERNAME=acme CLOJARS_PASSWORD=CLOJARS_8sqygbny7r8mbjlw7n5gquc5mgez6w6kazrtmm0hofmifxosxl12g38z781c lein deploy clojars",
                        "CLOJARS_8sqygbny7r8mbjlw7n5gquc5mgez6w6kazrtmm0hofmifxosxl12g38z781c"),
                Arguments.of("artifactory-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nARTIFACTORY_API_KEY=AKCpocMdg6TavZ5uh6VEeOfozSWgpOt9eBBrbeZA5lVY0N6IJ7uFLTKY364ihWmT207sBnFUB\nPORT=8080\n",
                        "AKCpocMdg6TavZ5uh6VEeOfozSWgpOt9eBBrbeZA5lVY0N6IJ7uFLTKY364ihWmT207sBnFUB"),
                Arguments.of("octopus-deploy-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nOCTOPUS_API_KEY=API-UAWSKBLGXYOCHKFNA2FL254Z3T\nPORT=8080\n",
                        "API-UAWSKBLGXYOCHKFNA2FL254Z3T"),
                Arguments.of("slack-token", "{\"env\":{\"SLACK_USER_TOKEN\":\"xoxp-454507943366-485438368137-9445382518235-6b3ce271b062a4f3e485a8900df5a59a\"}}",
                        "xoxp-454507943366-485438368137-9445382518235-6b3ce271b062a4f3e485a8900df5a59a"),
                Arguments.of("slack-app-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSLACK_APP_TOKEN=xapp-1-A9YMRRQO19L-6541643265396-15a95e1f2abcb18ef884cdb8fcbe18efd1472edeeb928c5897707a3b2961bee0\nPORT=8080\n",
                        "xapp-1-A9YMRRQO19L-6541643265396-15a95e1f2abcb18ef884cdb8fcbe18efd1472edeeb928c5897707a3b2961bee0"),
                Arguments.of("slack-webhook-url", "alerting:\n  slack_url: https://hooks.slack.com/services/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\n",
                        "T8LRPXCN6W0/BNWPV9YO3BU/8gUX3Lfs9yXOjIlFHLZjGHhj"),
                Arguments.of("discord-bot-token", "curl -H \"Authorization: Bot MT1w9XC3ve26scaJ3e5pCCY4AR.VgZen8.8M5D0UgD_lDb-qp09YqE_86yIsAbfryctUawF3\" https://discord.com/api/v10/users/@me",
                        "MT1w9XC3ve26scaJ3e5pCCY4AR.VgZen8.8M5D0UgD_lDb-qp09YqE_86yIsAbfryctUawF3"),
                Arguments.of("discord-webhook-url", "DISCORD_WEBHOOK=https://discordapp.com/api/webhooks/318799760009259828/PTNrAOGYYH8k9xQZA-m9STV-mK7N1uXFp1MtpQim8H-Z4adLdMYbyrK0kOhZRINjx9-4\n",
                        "PTNrAOGYYH8k9xQZA-m9STV-mK7N1uXFp1MtpQim8H-Z4adLdMYbyrK0kOhZRINjx9-4"),
                Arguments.of("telegram-bot-token", "BotFather gave me 7008415555:AAB256d1Cc0xmfM8MEj4Rz6g7J8OkcgrUXz, set up the webhook",
                        "7008415555:AAB256d1Cc0xmfM8MEj4Rz6g7J8OkcgrUXz"),
                Arguments.of("teams-webhook-url", "{\"env\":{\"TEAMS_WEBHOOK_URL\":\"https://acme.webhook.office.com/webhookb2/c9302cd0-e689-48c3-874f-193c0c469c88@3850798e-8e6d-449a-afb6-54789c731b40/IncomingWebhook/8da2920b23265c4ca51adeb10c1b5f81/0937cb00-52cb-4d74-a3c1-0cbefba8c5bf\"}}",
                        "c9302cd0-e689-48c3-874f-193c0c469c88@3850798e-8e6d-449a-afb6-54789c731b40/IncomingWebhook/8da2920b23265c4ca51adeb10c1b5f81/0937cb00-52cb-4d74-a3c1-0cbefba8c5bf"),
                Arguments.of("twilio-api-key", "TWILIO_ACCOUNT_SID=AC25bb48974a3100bc1cd79ec84bbbee55\nTWILIO_API_KEY=SK6b7a0b3f0a3158e5b5b587eac92bb9ee\n",
                        "SK6b7a0b3f0a3158e5b5b587eac92bb9ee"),
                Arguments.of("twilio-auth-token", "{\"file_path\":\"/app/config.py\",\"content\":\"TWILIO_AUTH_TOKEN = \\\"9c7a6083e0965c46b1815258a3df6248\\\"\\n\"}",
                        "9c7a6083e0965c46b1815258a3df6248"),
                Arguments.of("sendgrid-api-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSENDGRID_API_KEY=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\nPORT=8080\n",
                        "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"),
                Arguments.of("mailgun-api-key", "{\"env\":{\"MAILGUN_API_KEY\":\"444cf9dfa02c88a9ad98c92b0e436c9c-402e2ae5-8fbd96b5\"}}",
                        "444cf9dfa02c88a9ad98c92b0e436c9c-402e2ae5-8fbd96b5"),
                Arguments.of("mailchimp-api-key", "the newsletter sync uses b29282513f2c96218759164863f9766a-us15, is that the right datacenter?",
                        "b29282513f2c96218759164863f9766a-us15"),
                Arguments.of("brevo-api-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nBREVO_API_KEY=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\nPORT=8080\n",
                        "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"),
                Arguments.of("postmark-token", "POSTMARK_SERVER_TOKEN=ad922576-307f-4b0c-8fe2-8b1e25f83ca9\n",
                        "ad922576-307f-4b0c-8fe2-8b1e25f83ca9"),
                Arguments.of("stripe-key", "is 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 a live or a test key?",
                        "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"),
                Arguments.of("stripe-webhook-secret", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSTRIPE_WEBHOOK_SECRET=whsec_jlUodTvukU14yJvGZoQrOECxQ0H7SOxL\nPORT=8080\n",
                        "whsec_jlUodTvukU14yJvGZoQrOECxQ0H7SOxL"),
                Arguments.of("shopify-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSHOPIFY_API_SECRET=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\nPORT=8080\n",
                        "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"),
                Arguments.of("square-token", "app secret is sq0csp-PoiokEm9YH2OztTO1MdVycIIEOE41xh07gtWvodcocA",
                        "sq0csp-PoiokEm9YH2OztTO1MdVycIIEOE41xh07gtWvodcocA"),
                Arguments.of("braintree-access-token", "{\"file_path\":\"/app/config/payments.yml\",\"content\":\"paypal:\\n  token: \\\"access_token$production$xdur6xzieqrmx1d9$44c7adcf9515cae792ca6e2f96da1c7e\\\"\\n\"}",
                        "access_token$production$xdur6xzieqrmx1d9$44c7adcf9515cae792ca6e2f96da1c7e"),
                Arguments.of("shippo-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSHIPPO_API_KEY=shippo_live_4dde270ad37f8e588424e7bd07df530554da5f65\nPORT=8080\n",
                        "shippo_live_4dde270ad37f8e588424e7bd07df530554da5f65"),
                Arguments.of("easypost-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nEASYPOST_API_KEY=EZAK4ZCpwWH20P3FBFRBKQ905Q0c0zkoarWdOq4YexqxJrLW3oudL1ELOt\nPORT=8080\n",
                        "EZAK4ZCpwWH20P3FBFRBKQ905Q0c0zkoarWdOq4YexqxJrLW3oudL1ELOt"),
                Arguments.of("duffel-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nDUFFEL_ACCESS_TOKEN=duffel_live_pjzPguey3PoewSj-RRBs1vT1FNBJ8asIBZ8vviN74XR\nPORT=8080\n",
                        "duffel_live_pjzPguey3PoewSj-RRBs1vT1FNBJ8asIBZ8vviN74XR"),
                Arguments.of("heroku-api-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nHEROKU_API_KEY=HRKU-AAwLO3TuRiuPz64r7uJoJnKSVqLqkCAMtRTvT7P_TpPiFY3-R8__NYqGAb8k\nPORT=8080\n",
                        "HRKU-AAwLO3TuRiuPz64r7uJoJnKSVqLqkCAMtRTvT7P_TpPiFY3-R8__NYqGAb8k"),
                Arguments.of("heroku-legacy-key", "HEROKU_API_KEY=9d60e0fb-15d6-4c31-989f-36ddc66b666c\nHEROKU_APP=acme-web\n",
                        "9d60e0fb-15d6-4c31-989f-36ddc66b666c"),
                Arguments.of("digitalocean-token", "doctl says unauthorized with doo_v1_f64d58dbd17cae1a65f8bbe3cd3de0e636bc23e3031d0a14477213439f5f68ca",
                        "doo_v1_f64d58dbd17cae1a65f8bbe3cd3de0e636bc23e3031d0a14477213439f5f68ca"),
                Arguments.of("vercel-token", "vercel deploy --prod --token vcp_nunVQ2rxsbbtKqF8jKj6DUUU3K9wywdnCjWnmKSI34TjaDxR7APwPgN9",
                        "vcp_nunVQ2rxsbbtKqF8jKj6DUUU3K9wywdnCjWnmKSI34TjaDxR7APwPgN9"),
                Arguments.of("netlify-token", "netlify deploy --prod --auth nfp_wMyEVndvbF0A83ZGQJqAtkunDtee6hLdjib5",
                        "nfp_wMyEVndvbF0A83ZGQJqAtkunDtee6hLdjib5"),
                Arguments.of("flyio-token", "FLY_ACCESS_TOKEN=fo1_x8iDPYfMlCR_ojGkn9ZhufafnNK3rcFsGR7D0JoHbal flyctl apps list",
                        "fo1_x8iDPYfMlCR_ojGkn9ZhufafnNK3rcFsGR7D0JoHbal"),
                Arguments.of("cloudflare-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nCLOUDFLARE_API_TOKEN=cfut_BEHwwoon0nudJRUvMW7rQiWzNTTJAIYU7zj4HAacmlDj3fXH\nPORT=8080\n",
                        "cfut_BEHwwoon0nudJRUvMW7rQiWzNTTJAIYU7zj4HAacmlDj3fXH"),
                Arguments.of("cloudflare-legacy-key", "CF_API_EMAIL=dev@acme.dev\nCF_API_KEY=3216c5a8b74a6e91ab8678acae55e928ddee7\n",
                        "3216c5a8b74a6e91ab8678acae55e928ddee7"),
                Arguments.of("cloudflare-origin-ca-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nCF_ORIGIN_CA_KEY=v1.0-9fe326597a1953dce2a164b7-6e63f69d3de4a4bb5eb07048ff5cfa4f5cf4712f6e70dadaacfabe3a3c53603a23f5a172c67f59b0e009d7e54bb8d501d461bac189b7481dc9a3af58b16350a5c1b6fd3adadcec1fa2\nPORT=8080\n",
                        "v1.0-9fe326597a1953dce2a164b7-6e63f69d3de4a4bb5eb07048ff5cfa4f5cf4712f6e70dadaacfabe3a3c53603a23f5a172c67f59b0e009d7e54bb8d501d461bac189b7481dc9a3af58b16350a5c1b6fd3adadcec1fa2"),
                Arguments.of("supabase-key", "supabase login --token sbp_ace85a3751650537dca06f81f7132ed8248e62e3",
                        "sbp_ace85a3751650537dca06f81f7132ed8248e62e3"),
                Arguments.of("planetscale-token", "pscale branch list acme --service-token-id x1y2z3 --service-token pscale_tkn_5qJbPA99HRNdJ7Qg_HhAujYb87A1TCLjy3ZiX9Xd50H",
                        "pscale_tkn_5qJbPA99HRNdJ7Qg_HhAujYb87A1TCLjy3ZiX9Xd50H"),
                Arguments.of("doppler-token", "doppler run --token dp.st.prd.LeGFNjII0wQfIqxAd7z2BjEg74ffPRyMP8R0WDVwBCV -- ./server",
                        "dp.st.prd.LeGFNjII0wQfIqxAd7z2BjEg74ffPRyMP8R0WDVwBCV"),
                Arguments.of("vault-token", "export VAULT_TOKEN=s.VwxyBwAz1pJyBdqeIHm5l5ZD",
                        "s.VwxyBwAz1pJyBdqeIHm5l5ZD"),
                Arguments.of("terraform-cloud-token", "export TF_TOKEN_app_terraform_io=pMolL4Ko7tfWTy.atlasv1.Fo2nCD1AjyVcEhyY7U5AHozbUvNXjOaOWxHcXX6lgg6W2U4wxg1oX4sXeY8GPu4CjRs",
                        "pMolL4Ko7tfWTy.atlasv1.Fo2nCD1AjyVcEhyY7U5AHozbUvNXjOaOWxHcXX6lgg6W2U4wxg1oX4sXeY8GPu4CjRs"),
                Arguments.of("pulumi-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nPULUMI_ACCESS_TOKEN=pul-8e5182bbaa80416da14cb7748d3f45ae049ec72e\nPORT=8080\n",
                        "pul-8e5182bbaa80416da14cb7748d3f45ae049ec72e"),
                Arguments.of("databricks-token", "{\"env\":{\"DATABRICKS_TOKEN\":\"dapid38664a6d11ef60fb5174720562c3da6\"}}",
                        "dapid38664a6d11ef60fb5174720562c3da6"),
                Arguments.of("onepassword-service-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nOP_SERVICE_ACCOUNT_TOKEN=ops_eyJCFEBkY/i1vdXExCfC6oNwifoJwmxSiVxO0PdeaYYPCYUmr3sEv8Cmg+9GZ8wNAEUfkjAJI+KPLdeKtYBrBOduoozHPmEzMSfM0Dlbiv52nuUPT7tS4TRNCPJZwZD4iao7RJJ2XhaHKqd5NlMGrdK6zxisI+1iMe63d4GEM9NWOb1dNA4Ko7Ni7t3cl+Tmbs5dn35UZGTCnjj3jlgfKfb9vEoQyngHOiBrDVwZyxfCXMM3oNuHe1LxNJCNylbummvZg2VXBkBQI/9chgUAt5O63ltrFqLXE46IZrCaGhUR3kb=\nPORT=8080\n",
                        "ops_eyJCFEBkY/i1vdXExCfC6oNwifoJwmxSiVxO0PdeaYYPCYUmr3sEv8Cmg+9GZ8wNAEUfkjAJI+KPLdeKtYBrBOduoozHPmEzMSfM0Dlbiv52nuUPT7tS4TRNCPJZwZD4iao7RJJ2XhaHKqd5NlMGrdK6zxisI+1iMe63d4GEM9NWOb1dNA4Ko7Ni7t3cl+Tmbs5dn35UZGTCnjj3jlgfKfb9vEoQyngHOiBrDVwZyxfCXMM3oNuHe1LxNJCNylbummvZg2VXBkBQI/9chgUAt5O63ltrFqLXE46IZrCaGhUR3kb="),
                Arguments.of("onepassword-secret-key", "my 1password secret key is A3-6HEEDQ-2RIFNRUKE7Q-7LY1H-0X0UJ-7I8NX, sign me in on the CI box",
                        "A3-6HEEDQ-2RIFNRUKE7Q-7LY1H-0X0UJ-7I8NX"),
                Arguments.of("age-secret-key", "{\"command\":\"SOPS_AGE_KEY=\\\"AGE-SECRET-KEY-18WUD640Y638DD2SV4VEWMRUUV7YAY2D4A5W7YJYH3JZ08NL28RPN5GX6GS\\\" sops -d secrets.enc.yaml\",\"description\":\"Run the command\"}",
                        "AGE-SECRET-KEY-18WUD640Y638DD2SV4VEWMRUUV7YAY2D4A5W7YJYH3JZ08NL28RPN5GX6GS"),
                Arguments.of("kubernetes-bootstrap-token", "bootstrapTokens:\n- groups:\n  - system:bootstrappers:kubeadm:default-node-token\n  token: b01rax.s9ccuj1prlijnuil\n  ttl: 24h0m0s\n",
                        "b01rax.s9ccuj1prlijnuil"),
                Arguments.of("openshift-token", "$ oc whoami -t\nsha256~XwEU9NDdk8X-rmG7LTTzFU57E68evQSkYaMiV3Ul6zA\n",
                        "sha256~XwEU9NDdk8X-rmG7LTTzFU57E68evQSkYaMiV3Ul6zA"),
                Arguments.of("newrelic-key", "{\"env\":{\"NEW_RELIC_LICENSE_KEY\":\"254bcf7aac97f864638453575404f22b9552NRAL\"}}",
                        "254bcf7aac97f864638453575404f22b9552NRAL"),
                Arguments.of("datadog-key", "DD_APP_KEY=d959dd13e1133474eba4a61d4f060727d833b212\nDD_SITE=datadoghq.eu\n",
                        "d959dd13e1133474eba4a61d4f060727d833b212"),
                Arguments.of("sentry-token", "use 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 to pull the latest issues",
                        "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"),
                Arguments.of("grafana-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nGRAFANA_TOKEN=glsa_MrK12WB5GxDkaAdkszU0gnVL1nWDnZCU_bece3044\nPORT=8080\n",
                        "glsa_MrK12WB5GxDkaAdkszU0gnVL1nWDnZCU_bece3044"),
                Arguments.of("dynatrace-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nDT_API_TOKEN=dt0c01.QMTNIXD1Q7KOV9YLBQ4OUTY9.6ATI1OWK9JSB960GNL1FF06JMXRJ7R9MK0YN08SU9YRGJVSIBY075N6Q2CRHIVAO\nPORT=8080\n",
                        "dt0c01.QMTNIXD1Q7KOV9YLBQ4OUTY9.6ATI1OWK9JSB960GNL1FF06JMXRJ7R9MK0YN08SU9YRGJVSIBY075N6Q2CRHIVAO"),
                Arguments.of("linear-api-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nLINEAR_API_KEY=lin_api_cOQ2myZTLK0G6LF1ILVOqdbCbuddGQndrLZ9xA6C\nPORT=8080\n",
                        "lin_api_cOQ2myZTLK0G6LF1ILVOqdbCbuddGQndrLZ9xA6C"),
                Arguments.of("notion-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nNOTION_TOKEN=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\nPORT=8080\n",
                        "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"),
                Arguments.of("postman-api-key", "curl https://api.getpostman.com/collections -H \"X-Api-Key: PMAK-5ec5d8e3c21a0fafb985e026-d60dba8b22475997acaed7f900522b4031\"",
                        "PMAK-5ec5d8e3c21a0fafb985e026-d60dba8b22475997acaed7f900522b4031"),
                Arguments.of("figma-token", "curl -H \"X-Figma-Token: figd_AKWoiygH_ItdgOE96Scb2zOtQqhw1h2eu-xgSdq0\" https://api.figma.com/v1/me",
                        "figd_AKWoiygH_ItdgOE96Scb2zOtQqhw1h2eu-xgSdq0"),
                Arguments.of("airtable-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nAIRTABLE_API_KEY=patqMYVZ5HkX3lI5p.48e5749970cd1f191b85a7114d9bed5c2caa8db170753672f54d6e4ac7aced2c\nPORT=8080\n",
                        "patqMYVZ5HkX3lI5p.48e5749970cd1f191b85a7114d9bed5c2caa8db170753672f54d6e4ac7aced2c"),
                Arguments.of("dropbox-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nDROPBOX_ACCESS_TOKEN=sl.u.R-Bw8cWvem0As1kQWH7nDu2tp9Kgy2Qki3mt9ZJ1dNVc6OyDF9cgj8LUxFam_iJ2P_klmQ5dKIc1CwjsokeGmmfmR2lIwtw4dAZGMAplxlYjQJof2B-UaeMeAqS35Z_mqNwBEe2r6kDuTB2SKJ3mD5TwBLtK7XvNCJXlBIBH9Pw4La8HF84ZswZp3y3bevGJSiRCJrpNf0wDqGmha1lU_20f7Kfpk9p8FhM5zrvd1A3r1JRM9FDtZNuMRiBynJOdDjqDJ1peA8x1bby7va0iSwWMXxIl9XYZHljFau-0DOOMKVcW8M8wnzM_Dja_VjK1UVUZF4Fdcxs9qOnZVGqC0punheTfnm11Z_-yXPPpBaIp-Jr_mi3IOP9Kkhyn8waosVJWEF638_Wxm5t_\nPORT=8080\n",
                        "sl.u.R-Bw8cWvem0As1kQWH7nDu2tp9Kgy2Qki3mt9ZJ1dNVc6OyDF9cgj8LUxFam_iJ2P_klmQ5dKIc1CwjsokeGmmfmR2lIwtw4dAZGMAplxlYjQJof2B-UaeMeAqS35Z_mqNwBEe2r6kDuTB2SKJ3mD5TwBLtK7XvNCJXlBIBH9Pw4La8HF84ZswZp3y3bevGJSiRCJrpNf0wDqGmha1lU_20f7Kfpk9p8FhM5zrvd1A3r1JRM9FDtZNuMRiBynJOdDjqDJ1peA8x1bby7va0iSwWMXxIl9XYZHljFau-0DOOMKVcW8M8wnzM_Dja_VjK1UVUZF4Fdcxs9qOnZVGqC0punheTfnm11Z_-yXPPpBaIp-Jr_mi3IOP9Kkhyn8waosVJWEF638_Wxm5t_"),
                Arguments.of("mapbox-secret-token", "$ cat ~/.netrc\nmachine api.mapbox.com\n  login mapbox\n  password sk.eyJ1IjoiYWNtZSIsImEiOiJkPxeqOFsWym2qW1lBGV4nP.gPERyaSERZx1I7MIf_wY1u\n",
                        "sk.eyJ1IjoiYWNtZSIsImEiOiJkPxeqOFsWym2qW1lBGV4nP.gPERyaSERZx1I7MIf_wY1u"),
                Arguments.of("okta-token", "okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: 00uQ9baD35WSVT52kEmYLcYkDFmyU7n2m7Jlbg08XJ\n",
                        "00uQ9baD35WSVT52kEmYLcYkDFmyU7n2m7Jlbg08XJ"),
                Arguments.of("typeform-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nTYPEFORM_TOKEN=tfp_5-UIL5RNQu2sQhABn2vYBD1rvOob5z899w_l5V3RshZy3Wbf4GiLkhCMSiN\nPORT=8080\n",
                        "tfp_5-UIL5RNQu2sQhABn2vYBD1rvOob5z899w_l5V3RshZy3Wbf4GiLkhCMSiN"),
                Arguments.of("prefect-token", "prefect cloud login --key pnu_czuWQFIFVwznHe3aFE3cFvXbVHq5lpLh5Asp --workspace acme/prod",
                        "pnu_czuWQFIFVwznHe3aFE3cFvXbVHq5lpLh5Asp"),
                Arguments.of("readme-token", "rdme openapi openapi.yaml --key=rdme_l33n668zrakk9lpc66ejhnfxa0b1okxeceq9mhhxkxa5qgbac83eumt4wuc5rwsyb13pa4 --id=65f1c2",
                        "rdme_l33n668zrakk9lpc66ejhnfxa0b1okxeceq9mhhxkxa5qgbac83eumt4wuc5rwsyb13pa4"),
                Arguments.of("sourcegraph-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nSRC_ACCESS_TOKEN=sgp_fd6f1c44c266c8ef_ac8e3d82b7d83d38db1b614175e50a9f5a3ff2a2\nPORT=8080\n",
                        "sgp_fd6f1c44c266c8ef_ac8e3d82b7d83d38db1b614175e50a9f5a3ff2a2"),
                Arguments.of("twitter-bearer-token", "{\"env\":{\"X_BEARER_TOKEN\":\"AAAAAAAAAAAAAAAAAAAAAAFRCMaigO4hqrNPUPrEXJ%2BZDICdfoG0Zbd8yYHSjkc9WGXfXo3YT%3DMovMUuW8NZBMLCitx4LjRwhFUk9XfYRWqtduHGDm\"}}",
                        "AAAAAAAAAAAAAAAAAAAAAAFRCMaigO4hqrNPUPrEXJ%2BZDICdfoG0Zbd8yYHSjkc9WGXfXo3YT%3DMovMUuW8NZBMLCitx4LjRwhFUk9XfYRWqtduHGDm"),
                Arguments.of("facebook-access-token", "curl -G \"https://graph.facebook.com/v19.0/me\" -d \"access_token=EAABUXztLNGjw79FHxA90LZzQfFGdYERLaeedXmld9W5SbusxrNv2RsD9zDI1bFNY8LpQElCngimMTN9cxPJfFhwAXrZsxSeBNpocsqhazArublmoxfq2teSrq8jWqPUAqvkiyT8H0lHzLCkShtiYSlHedzwkDhcizWBZNrRwFmfAezOdDxznQJj\"",
                        "EAABUXztLNGjw79FHxA90LZzQfFGdYERLaeedXmld9W5SbusxrNv2RsD9zDI1bFNY8LpQElCngimMTN9cxPJfFhwAXrZsxSeBNpocsqhazArublmoxfq2teSrq8jWqPUAqvkiyT8H0lHzLCkShtiYSlHedzwkDhcizWBZNrRwFmfAezOdDxznQJj"),
                Arguments.of("anthropic-key", "export CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-LPkbsiV_ANhOyVgESR-OVs-LhqzQVA8kJ5eePpH6jKK45cwqW6o4gTsaBWU2_9RI5y-DAC6QubqGu77zlb5kOpyFvYvGMAA",
                        "sk-ant-oat01-LPkbsiV_ANhOyVgESR-OVs-LhqzQVA8kJ5eePpH6jKK45cwqW6o4gTsaBWU2_9RI5y-DAC6QubqGu77zlb5kOpyFvYvGMAA"),
                Arguments.of("openai-key", "$ grep -rn api_key src/\nsrc/llm.py:7:openai.api_key = \"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\"\n",
                        "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"),
                Arguments.of("xai-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nXAI_API_KEY=xai-0jM8gbqVagMLjHwjGubC3ujHUJcj385HPcUuQ3giWE4RYTfenWY9nn5voJ88pFDEqdIuy36ozFEg7Pmm\nPORT=8080\n",
                        "xai-0jM8gbqVagMLjHwjGubC3ujHUJcj385HPcUuQ3giWE4RYTfenWY9nn5voJ88pFDEqdIuy36ozFEg7Pmm"),
                Arguments.of("perplexity-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nPERPLEXITY_API_KEY=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\nPORT=8080\n",
                        "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"),
                Arguments.of("groq-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nGROQ_API_KEY=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\nPORT=8080\n",
                        "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"),
                Arguments.of("huggingface-token", "huggingface-cli login --token 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",
                        "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"),
                Arguments.of("replicate-token", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nREPLICATE_API_TOKEN=r8_cctgCEX3n7jAdNdKN7h9KHF34vSKHOrnRRSMa\nPORT=8080\n",
                        "r8_cctgCEX3n7jAdNdKN7h9KHF34vSKHOrnRRSMa"),
                Arguments.of("ai-platform-key", "$ cat .env\nNODE_ENV=production\nLOG_LEVEL=info\nTAVILY_API_KEY=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\nPORT=8080\n",
                        "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"),
                Arguments.of("ai-provider-key-named", "export MISTRAL_API_KEY=MD9LjzufnBad94FdCQSh43pspqkzeM0K",
                        "MD9LjzufnBad94FdCQSh43pspqkzeM0K"),
                Arguments.of("jwt", "decode this for me: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEwMTE5NSIsInJvbGUiOiJhZG1pbiIsImlhdCI6MTcxNzAwMDAwMCwiZXhwIjoxNzE3MDAzNjAwfQ.rwaAKH2KJfujuE10WpC108OUlj96numM3Y2tQ0yMqqj",
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEwMTE5NSIsInJvbGUiOiJhZG1pbiIsImlhdCI6MTcxNzAwMDAwMCwiZXhwIjoxNzE3MDAzNjAwfQ.rwaAKH2KJfujuE10WpC108OUlj96numM3Y2tQ0yMqqj"),
                Arguments.of("private-key", "$ openssl ecparam -name prime256v1 -genkey -noout\n-----BEGIN EC PRIVATE KEY-----\nIm7vBvmmCtVuRM7BU+27qxtdN7E2mm6Bgv/TV0rLuKRVfvcfnrFAW6OES859LCVQ\n0kYI2OEE7ACYJ2LF93yAOikFwMcrFMeB7RrKkYKdoGGfWmtN/yxHO2kC7ADoanSA\n2gYnruNzwfvFc+N4AbmUE8W6gkB7lRtd5e8C5paDZohKqLxGt8acujcbrFcMFTCD\n3XCCT/CuBmRjtJLL5TxtLqMi==\n-----END EC PRIVATE KEY-----\n",
                        "0kYI2OEE7ACYJ2LF93yAOikFwMcrFMeB7RrKkYKdoGGfWmtN/yxHO2kC7ADoanSA"),
                Arguments.of("putty-private-key", "$ type C:\\Users\\dev\\.ssh\\deploy.ppk\nPuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ed25519-key-20250301\nPublic-Lines: 2\nj4Xm2gghyzF4rr1kDlNs10pZgy2puAANdW5syad2uLuLy7Z6G4sU00YjYzmQTIgz\nyKNqbqFgdUVmtvDpFQJ4\nPrivate-Lines: 4\naDg/PKXA3zGINkF5meYTKFO02EC72hVG9eNsql9FTts6Tol72DyUVqDiA1+TPJk+\nncOvCus/Ba2w5Y23k+GBrOYXGQLzF1o8MiJsJCPOav6OEG8ns2JwLf/eZ8H8WzH1\nmeszMNXTDL+cjXs8xEIgcMtjjiV0elpzQ+f1wC7dnd8NfbRfwlmQsOY2pCsm/wK8\nFZeoYg6L8MUWK5X/2oWt1w0uK/vlGYq9jBQAB+e/1Go/lycWGe0/aOK+E5ygxPc5\nPrivate-MAC: 8fe269b495ef4501e6897c2b7049bea6ed5252b241d2a4e4a069ae92944de99f\n",
                        "ncOvCus/Ba2w5Y23k+GBrOYXGQLzF1o8MiJsJCPOav6OEG8ns2JwLf/eZ8H8WzH1"),
                Arguments.of("netrc-password", "echo 'machine api.acme.dev login ci password 2423a165-e663-4d2b-ae9c-e1568133768b' >> ~/.netrc",
                        "2423a165-e663-4d2b-ae9c-e1568133768b"),
                Arguments.of("kubernetes-secret-yaml", "$ cat k8s/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  API_PASSWORD: SgwlcemMknvwZT\n  API_USER: svc\n",
                        "SgwlcemMknvwZT"),
                Arguments.of("kubernetes-secret-json", "$ kubectl get secret web-tls -o json\n{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"tls.crt\": \"CyboQCvXXB7i/f4YcCN5C4IQBXdjLrJ4s+FCASTO2dxZDE0xvVHSLraYneKhLOCMCL2FpL7Odk4d69hBY+ClezcHHBS7Zmy5MQAIgPnwRwMG+E5VlZlKGa41\",\n        \"tls.key\": \"gTbrnRPcYl6tdlA3m4Diqgy+gS8YvVKNhWWXhGRJYD25zbFHlfdXCv050jqtbIfv9//yiY5TfWNGKYnNsenJPKLs/+//tCIU3ueJ1Nn2gv3rqd37ax0qvLFXxMg1RDYsFcDsjJGR4XfcJPT2RXPsnSIuyKLU0HR2o3FA2t2QVKZpxmwWlatIOuMal/PDqDnXuCm7KEiw\"\n    },\n    \"kind\": \"Secret\",\n    \"metadata\": {\n        \"name\": \"web-tls\"\n    },\n    \"type\": \"kubernetes.io/tls\"\n}",
                        "gTbrnRPcYl6tdlA3m4Diqgy+gS8YvVKNhWWXhGRJYD25zbFHlfdXCv050jqtbIfv9//yiY5TfWNGKYnNsenJPKLs/+//tCIU3ueJ1Nn2gv3rqd37ax0qvLFXxMg1RDYsFcDsjJGR4XfcJPT2RXPsnSIuyKLU0HR2o3FA2t2QVKZpxmwWlatIOuMal/PDqDnXuCm7KEiw"),
                Arguments.of("private-key-base64", "$ kubectl config view --raw\napiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.10:6443\n    insecure-skip-tls-verify: true\n  name: prod\nusers:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpXa3l0UGhkaWIwcjUwQVNzMVdEd0JBMWh3Nk5MVHo5dWdTNzVobktJcFN4ZWJLT1ZHLzh6emE3TVdibnFIR1ZPCkEzRjRQRnFkL1FFcGk2c284Sk9aeEJSZXNjR05BMHg3dDV3b0Yra3R3TFJ6dFdpSFlsTG1ZWWNpVDRQeE1ZU0MKVkU0R05mYktUdnNxZjNPdndsQ3NFcmxoZ1lRdWd1ckJCek11dDlRVGdvWmNFQ3ozTkFyU2dqWEtMQmZOOElLTAoxaWFGM3pEbDI0c3RVcHJtT20xdE9LTUdla3BiUExKSlZsTk9iSkNuazFYYzBQWXB5dys1SXliOEVMRytxeWhNCkJBVUt0NjdWdDByUFVNbllDNFQwMG1aV1N0aTdJZkx6UVVsVlpHNmRISTJEUE5JSGp5UjBxRTI1SzhONXFmSUcKUG4vRXFQYTYybTRJc0J3VGRBbkI4a3J5c0xiTEkzaGFyWVl4Zy8zNnA4bWdVclNWQlpqQmFSa3h2SU56V0FhWgotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n",
                        "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpXa3l0UGhkaWIwcjUwQVNzMVdEd0JBMWh3Nk5MVHo5dWdTNzVobktJcFN4ZWJLT1ZHLzh6emE3TVdibnFIR1ZPCkEzRjRQRnFkL1FFcGk2c284Sk9aeEJSZXNjR05BMHg3dDV3b0Yra3R3TFJ6dFdpSFlsTG1ZWWNpVDRQeE1ZU0MKVkU0R05mYktUdnNxZjNPdndsQ3NFcmxoZ1lRdWd1ckJCek11dDlRVGdvWmNFQ3ozTkFyU2dqWEtMQmZOOElLTAoxaWFGM3pEbDI0c3RVcHJtT20xdE9LTUdla3BiUExKSlZsTk9iSkNuazFYYzBQWXB5dys1SXliOEVMRytxeWhNCkJBVUt0NjdWdDByUFVNbllDNFQwMG1aV1N0aTdJZkx6UVVsVlpHNmRISTJEUE5JSGp5UjBxRTI1SzhONXFmSUcKUG4vRXFQYTYybTRJc0J3VGRBbkI4a3J5c0xiTEkzaGFyWVl4Zy8zNnA4bWdVclNWQlpqQmFSa3h2SU56V0FhWgotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo="),
                Arguments.of("terraform-sensitive-output", "$ terraform output -json\n{\n  \"db_endpoint\": {\n    \"sensitive\": false,\n    \"type\": \"string\",\n    \"value\": \"db.internal:5432\"\n  },\n  \"db_password\": {\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": \"cOVHGw7mmH8z1I0Bfkfp\"\n  }\n}",
                        "cOVHGw7mmH8z1I0Bfkfp"),
                Arguments.of("aws-secrets-manager-value", "{\"stdout\":\"{\\n    \\\"ARN\\\": \\\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe-AbCdEf\\\",\\n    \\\"Name\\\": \\\"prod/stripe\\\",\\n    \\\"VersionId\\\": \\\"f05f26ee-97ed-47c8-b3f3-a3383acb03a5\\\",\\n    \\\"SecretString\\\": \\\"jLqKxtArxmwrUXueTP\\\",\\n    \\\"VersionStages\\\": [\\n        \\\"AWSCURRENT\\\"\\n    ]\\n}\",\"exit_code\":0}",
                        "jLqKxtArxmwrUXueTP"),
                Arguments.of("vault-kv-data", "$ vault kv get secret/app/db\n====== Secret Path ======\nsecret/data/app/db\n\n======= Metadata =======\nKey                Value\n---                -----\ncreated_time       2025-03-01T12:00:00Z\nversion            4\n\n====== Data ======\nKey         Value\n---         -----\npassword    LhATgTcKBatHRVs\nusername    app\n",
                        "LhATgTcKBatHRVs"),
                Arguments.of("pgpass-password", "$ cat ~/.pgpass\ndb.internal:5432:app:app:iIIYhzfx3U7x1AuZJY\n*:*:*:replicator:boSPN3jUIUyq\n",
                        "iIIYhzfx3U7x1AuZJY"),
                Arguments.of("session-cookie", "{\"url\":\"https://admin.acme.dev/api/users/\",\"headers\":{\"Cookie\":\"theme=dark; sessionid=rS4F93a6exf6WtKff3x15wYm035duifc\"}}",
                        "rS4F93a6exf6WtKff3x15wYm035duifc"),
                Arguments.of("quoted-pair-secret", "{\"file_path\":\"src/main/java/dev/acme/Db.java\",\"content\":\"props.setProperty(\\\"password\\\", \\\"YtqjcbwSeKrZek3H\\\");\\n\"}",
                        "YtqjcbwSeKrZek3H"),
                Arguments.of("xml-secret-element", "{\"file_path\":\"/home/dev/.m2/settings.xml\",\"content\":\"<settings><servers><server><id>acme</id><username>ci</username><password>BVIefTKbKs2aMMyq</password></server></servers></settings>\"}",
                        "BVIefTKbKs2aMMyq"),
                Arguments.of("xml-secret-attribute", "{\"file_path\":\"web.config\",\"content\":\"<appSettings><add key=\\\"PaymentApiSecret\\\" value=\\\"R6lfytVI4e07pLShaWL7Ix\\\" /></appSettings>\"}",
                        "R6lfytVI4e07pLShaWL7Ix"),
                Arguments.of("authorization-header", "{\"method\":\"GET\",\"headers\":{\"Authorization\":\"Basic ZGVwbG95OmJqeE5lMlZNMHgydE1U\"}}",
                        "ZGVwbG95OmJqeE5lMlZNMHgydE1U"),
                Arguments.of("bearer-token", "Then call the endpoint with the header `Bearer HKD2z22yXGMUwvBzwUOU3Yaev8kEIPHdP2uJjPg1GcfFCvLG` and you should get a 200.",
                        "HKD2z22yXGMUwvBzwUOU3Yaev8kEIPHdP2uJjPg1GcfFCvLG"),
                Arguments.of("url-credentials", "$ cat ~/.git-credentials\nhttps://dev:Id77Tr3VMcX2x5@git.acme.dev\n",
                        "Id77Tr3VMcX2x5"),
                Arguments.of("connection-string-password", "spring.datasource.url=jdbc:postgresql://db.internal:5432/app?user=app&password=qUKxsptqDyiA&ssl=true\n",
                        "qUKxsptqDyiA"),
                Arguments.of("cli-password-flag", "curl -u admin:6jxLAwzckcDA http://localhost:15672/api/queues",
                        "6jxLAwzckcDA"),
                Arguments.of("assignment", "export PGPASSWORD=Pq7DntV463fZdBdV",
                        "Pq7DntV463fZdBdV"),
                Arguments.of("password-literal", "Set `password: \"ecllcpppvjHozaes\"` in the test config and rerun.",
                        "ecllcpppvjHozaes"),
                Arguments.of("password-unquoted", "docker run -e POSTGRES_PASSWORD=kojzfxIpmzhwkl -p 5432:5432 postgres:16",
                        "kojzfxIpmzhwkl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void eachRuleRemovesItsCredential(String rule, String text, String secret) {
        Redactor.Result r = R.redact(text);
        assertThat(r.text()).as(rule).doesNotContain(secret).contains("[REDACTED:" + rule + "]");
        assertThat(r.counts()).containsKey(rule);
    }

    static Stream<Arguments> nearMisses() {
        return Stream.of(
                Arguments.of("aws-access-key-id", "a truncated key id in prose", "the id AKIAZ7QXRN4J in the screenshot is cut off"),
                Arguments.of("aws-secret-access-key", "a git SHA next to an aws key name", "aws_secret_access_key_sha = 3f9a1c2e7b4d8a6f0e1d2c3b4a5f6e7d8c9b0a1f"),
                Arguments.of("aws-session-token", "a session token taken from the environment", "aws_session_token = ${AWS_SESSION_TOKEN}"),
                Arguments.of("azure-storage-key", "an account key from a variable", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net"),
                Arguments.of("azure-ad-client-secret", "Q~ in a planning note", "planning for FY2025Q~FY2026Q1 is in the wiki"),
                Arguments.of("url-signature", "a short image signature parameter", "https://cdn.acme.dev/img.png?w=200&signature=abc"),
                Arguments.of("google-api-key", "the key prefix in prose", "Google keys look like AIzaSy followed by 33 more characters"),
                Arguments.of("gcp-oauth-client-secret", "a placeholder client secret", "GOOGLE_CLIENT_SECRET=GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("google-oauth-access-token", "a ya29. prefix alone", "tokens from the metadata server start with ya29.a0"),
                Arguments.of("google-oauth-refresh-token", "a short 1//0 string in a path", "see https://example.org/a1//0b/c"),
                Arguments.of("alibaba-access-key-id", "a short LTAI string", "LTAI is the prefix of Alibaba AccessKey ids"),
                Arguments.of("github-token", "a masked token from gh auth status", "  - Token: gho_************************************"),
                Arguments.of("github-fine-grained-pat", "the fine-grained prefix alone", "fine-grained tokens start with github_pat_11"),
                Arguments.of("gitlab-token", "a placeholder PAT", "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("gitlab-runner-token", "a runner token prefix in docs", "Runner tokens now start with glrt- instead of GR1348941."),
                Arguments.of("gitlab-deploy-token", "a deploy token username", "git clone https://gitlab+deploy-token-4711@gitlab.com/acme/charts.git"),
                Arguments.of("gitlab-other-token", "a trigger token placeholder", "curl -F token=glptt-TOKEN -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline"),
                Arguments.of("bitbucket-app-password", "a short ATBB string", "app passwords start with ATBB, e.g. ATBBxyz"),
                Arguments.of("atlassian-api-token", "a truncated Atlassian token", "the token ATATT3xFfGF0abc was revoked"),
                Arguments.of("npm-token", "npm config environment variables", "npm_config_user_agent=npm/10.2.4 node/v20.11.0 linux x64 workspaces/false"),
                Arguments.of("npmrc-auth", "an .npmrc token from the environment", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
                Arguments.of("pypi-token", "the PyPI token prefix alone", "PyPI tokens start with pypi-AgEIcHlwaS5vcmc and are long"),
                Arguments.of("rubygems-token", "the rubygems key name", ":rubygems_api_key: <set me>"),
                Arguments.of("nuget-api-key", "oy2 in a short word", "build oy2abc failed"),
                Arguments.of("dockerhub-token", "a placeholder Docker Hub token", "DOCKERHUB_TOKEN=dckr_pat_XXXXXXXXXXXXXXXXXXXXXXXXXXX"),
                Arguments.of("docker-config-auth", "a docker config with a credential helper", "{\"auths\": {\"ghcr.io\": {}}, \"credsStore\": \"desktop\"}"),
                Arguments.of("clojars-token", "the Clojars env var name", "set CLOJARS_USERNAME and CLOJARS_PASSWORD in CI"),
                Arguments.of("artifactory-token", "a short AKCp string", "keys begin with AKCp5"),
                Arguments.of("octopus-deploy-key", "an API- path", "GET /API-REFERENCE-GUIDE-V2 HTTP/1.1"),
                Arguments.of("slack-token", "a placeholder bot token", "SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("slack-app-token", "the app token prefix", "Socket Mode needs an app-level token (xapp-…)."),
                Arguments.of("slack-webhook-url", "the documented placeholder webhook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
                Arguments.of("discord-bot-token", "a discord.py import path", "from discord.ext.commands.bot import AutoShardedBot"),
                Arguments.of("discord-webhook-url", "a webhook URL template", "https://discord.com/api/webhooks/{webhook.id}/{webhook.token}"),
                Arguments.of("telegram-bot-token", "the Bot API documentation's sample token", "curl https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getMe"),
                Arguments.of("teams-webhook-url", "a Teams webhook template", "https://acme.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>"),
                Arguments.of("twilio-api-key", "a placeholder Twilio key", "TWILIO_API_KEY=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("twilio-auth-token", "a Twilio token placeholder", "TWILIO_AUTH_TOKEN=your_auth_token"),
                Arguments.of("sendgrid-api-key", "a truncated SendGrid key", "keys look like SG.abc.def"),
                Arguments.of("mailgun-api-key", "an ssh key file named key-", "ssh-keygen -t ed25519 -f key-deploy-20250301"),
                Arguments.of("mailchimp-api-key", "a hex bucket name in us-east-1", "s3://logs-3f9a1c2e7b4d8a6f0e1d2c3b4a5f6e7d-us-east-1/2025/"),
                Arguments.of("brevo-api-key", "the Brevo prefix", "Brevo keys start with xkeysib-"),
                Arguments.of("postmark-token", "Postmark's documented test token", "POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000"),
                Arguments.of("stripe-key", "a placeholder live key", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("stripe-webhook-secret", "a webhook secret placeholder", "STRIPE_WEBHOOK_SECRET=whsec_..."),
                Arguments.of("shopify-token", "a Shopify token placeholder", "SHOPIFY_ACCESS_TOKEN=shpat_00000000000000000000000000000000"),
                Arguments.of("square-token", "a lower-case docker digest with eaaa", "aws-cli@sha256:eaaa7b11777babe28e6133a8b19ff71cea687e0d7f05158dee95a71f76ce3d00"),
                Arguments.of("braintree-access-token", "a Braintree token template", "access_token$sandbox$<merchant id>$<hash>"),
                Arguments.of("shippo-token", "the Shippo prefix", "test keys start with shippo_test_"),
                Arguments.of("easypost-key", "an EZAK prefix alone", "production keys begin with EZAK"),
                Arguments.of("duffel-token", "the Duffel prefix", "use a duffel_test_ token in staging"),
                Arguments.of("heroku-api-key", "the new Heroku prefix", "new Heroku keys start with HRKU-AA"),
                Arguments.of("heroku-legacy-key", "a zero UUID under a Heroku name", "HEROKU_API_KEY=00000000-0000-0000-0000-000000000000"),
                Arguments.of("digitalocean-token", "a DigitalOcean token placeholder", "DIGITALOCEAN_TOKEN=dop_v1_<token>"),
                Arguments.of("vercel-token", "a vcrpy fixture name", "@pytest.fixture(scope='module')\ndef vcr_config():\n    return {'filter_headers': ['authorization']}"),
                Arguments.of("netlify-token", "an nfc_ identifier", "nfc_reader_enabled = True"),
                Arguments.of("flyio-token", "a Fly token placeholder", "FLY_API_TOKEN=\"FlyV1 <token>\""),
                Arguments.of("cloudflare-token", "the Cloudflare prefix", "new user tokens start with cfut_"),
                Arguments.of("cloudflare-legacy-key", "a Cloudflare account id", "CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353"),
                Arguments.of("cloudflare-origin-ca-key", "an origin CA key prefix", "origin CA keys start with v1.0-"),
                Arguments.of("supabase-key", "a Supabase publishable key", "NEXT_PUBLIC_SUPABASE_KEY=sb_publishable_abcDEF123ghiJKL456mnoP_1a2b3c4d"),
                Arguments.of("planetscale-token", "a PlanetScale prefix", "passwords start with pscale_pw_"),
                Arguments.of("doppler-token", "a Doppler config name", "doppler setup --project api --config dp.st.dev"),
                Arguments.of("vault-token", "a vault token setting", "vault_token_ttl: 768h"),
                Arguments.of("terraform-cloud-token", "the Terraform Cloud host", "credentials \"app.terraform.io\" { token = var.tfc_token }"),
                Arguments.of("pulumi-token", "a Pulumi token placeholder", "PULUMI_ACCESS_TOKEN=pul-<your token>"),
                Arguments.of("databricks-token", "a dapi-prefixed method call", "const jobs = await dapiClient.listJobs({ limit: 25 })"),
                Arguments.of("onepassword-service-token", "a 1Password token prefix", "service account tokens start with ops_eyJ"),
                Arguments.of("onepassword-secret-key", "a 1Password secret key template", "Secret Key: A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX"),
                Arguments.of("age-secret-key", "an age public key", "# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"),
                Arguments.of("kubernetes-bootstrap-token", "a token TTL", "token-ttl: 24h0m0s"),
                Arguments.of("openshift-token", "the OpenShift token prefix", "oc tokens start with sha256~"),
                Arguments.of("newrelic-key", "a New Relic browser key", "NEW_RELIC_BROWSER_KEY=NRJS-0123456789abcdef012"),
                Arguments.of("datadog-key", "the Datadog site setting", "DD_SITE=datadoghq.eu\nDD_ENV=prod"),
                Arguments.of("sentry-token", "a Sentry token prefix", "org tokens start with sntrys_"),
                Arguments.of("grafana-token", "a Grafana token prefix", "service account tokens start with glsa_"),
                Arguments.of("dynatrace-token", "the Dynatrace token prefix", "tokens look like dt0c01.ABC.DEF"),
                Arguments.of("linear-api-key", "the Linear key name", "lin_api_key_header = 'Authorization'"),
                Arguments.of("notion-token", "Rails secret_key_base name", "Rails.application.credentials.secret_key_base"),
                Arguments.of("postman-api-key", "the Postman prefix", "Postman keys start with PMAK-"),
                Arguments.of("figma-token", "the Figma prefix", "personal access tokens start with figd_"),
                Arguments.of("airtable-token", "a spec file name starting with pat", "PASS src/patternMatcherTest.spec.ts (2.1 s)"),
                Arguments.of("dropbox-token", "an openssl.cnf path", "OPENSSL_CONF=/etc/ssl/openssl.cnf"),
                Arguments.of("mapbox-secret-token", "a Mapbox public token", "mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZSIsImEiOiJjbHh5ejEyMzQ1Njc4OTAifQ.AbCdEfGhIjKlMnOpQrStUv';"),
                Arguments.of("okta-token", "the Okta org URL", "okta_org_url: https://acme.okta.com"),
                Arguments.of("typeform-token", "the Typeform prefix", "tokens start with tfp_"),
                Arguments.of("prefect-token", "the Prefect prefix", "API keys start with pnu_"),
                Arguments.of("readme-token", "the ReadMe prefix", "keys start with rdme_"),
                Arguments.of("sourcegraph-token", "the Sourcegraph prefix", "tokens start with sgp_"),
                Arguments.of("twitter-bearer-token", "a base64 blob with a run of A", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk"),
                Arguments.of("facebook-access-token", "a short EAAB string", "EAAB is the prefix of app tokens"),
                Arguments.of("anthropic-key", "an Anthropic key placeholder", "ANTHROPIC_API_KEY=sk-ant-api03-..."),
                Arguments.of("openai-key", "an OpenAI key placeholder", "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxx"),
                Arguments.of("xai-key", "an xAI SDK package", "pip install xai-sdk==1.0.0"),
                Arguments.of("perplexity-key", "a Perplexity model name", "model = \"pplx-7b-online\""),
                Arguments.of("groq-key", "the Groq prefix", "Groq keys start with gsk_"),
                Arguments.of("huggingface-token", "a Hugging Face hub call", "path = hf_hub_download(repo_id=\"acme/model\", filename=\"config.json\")"),
                Arguments.of("replicate-token", "the Replicate prefix", "tokens start with r8_"),
                Arguments.of("ai-platform-key", "fc-cache", "fc-cache -fv /usr/share/fonts"),
                Arguments.of("ai-provider-key-named", "a provider key read from a file path", "ANTHROPIC_API_KEY_FILE=/run/secrets/anthropic_api_key"),
                Arguments.of("jwt", "a JWT header alone", "the header eyJhbGciOiJIUzI1NiJ9 says HS256"),
                Arguments.of("private-key", "a public key block", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----"),
                Arguments.of("putty-private-key", "PuTTY public lines", "Public-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
                Arguments.of("netrc-password", "prose about machine learning passwords", "our machine learning login password reset flow is broken"),
                Arguments.of("kubernetes-secret-yaml", "a ConfigMap", "apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n"),
                Arguments.of("kubernetes-secret-json", "a Secret with empty data", "{\"kind\": \"Secret\", \"data\": {}}"),
                Arguments.of("private-key-base64", "a base64 certificate", "client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCK3dJSkFLSGJ"),
                Arguments.of("terraform-sensitive-output", "a non-sensitive output", "{\"region\": {\"sensitive\": false, \"type\": \"string\", \"value\": \"eu-west-1\"}}"),
                Arguments.of("aws-secrets-manager-value", "an SSM String parameter", "{\"Parameter\": {\"Name\": \"/prod/region\", \"Type\": \"String\", \"Value\": \"eu-west-1\"}}"),
                Arguments.of("vault-kv-data", "Vault metadata table", "======= Metadata =======\nKey                Value\n---                -----\nversion            4"),
                Arguments.of("pgpass-password", "a pgpass line with a wildcard password field", "# ~/.pgpass format: hostname:port:database:username:password"),
                Arguments.of("session-cookie", "a Cookie header without a session", "Cookie: theme=dark; lang=en-GB"),
                Arguments.of("quoted-pair-secret", "a password read from the environment", "define( 'DB_PASSWORD', getenv('DB_PASSWORD') );"),
                Arguments.of("xml-secret-element", "a Maven password from the environment", "<password>${env.NEXUS_PASSWORD}</password>"),
                Arguments.of("xml-secret-attribute", "an appSetting naming a header", "<add key=\"ApiKeyHeader\" value=\"X-Api-Key\" />"),
                Arguments.of("authorization-header", "a placeholder bearer", "curl -H 'Authorization: Bearer <YOUR_TOKEN>' https://api.acme.dev"),
                Arguments.of("bearer-token", "the bearer of a message", "the bearer of this message is authorised"),
                Arguments.of("url-credentials", "the documentation placeholder URL", "postgres://user:password@localhost:5432/mydb"),
                Arguments.of("connection-string-password", "a JDBC password placeholder", "jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}"),
                Arguments.of("cli-password-flag", "password from stdin", "docker login -u acmeci --password-stdin registry.acme.dev"),
                Arguments.of("assignment", "a token from the environment", "token = os.environ[\"GITHUB_TOKEN\"]"),
                Arguments.of("password-literal", "a schema example password", "{\"username\": \"jane\", \"password\": \"string\"}"),
                Arguments.of("password-unquoted", "go test output", "--- PASS: TestLoginFlow (0.02s)"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nearMisses")
    void nearMissesStayAsTheyAre(String rule, String what, String text) {
        assertThat(R.redact(text).text()).as(what).isEqualTo(text);
    }

    @Test
    void theNameStaysAndTheCountsSayWhatWentWhere() {
        Redactor.Result r = R.redact("DB_PASSWORD=Wq8Jr2mXb7Kp3Lz9\nexport AWS_ACCESS_KEY_ID=AKIAZ7QXRN4JWK2LMP5T\n");
        assertThat(r.text()).isEqualTo("DB_PASSWORD=[REDACTED:assignment]\nexport AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]\n");
        assertThat(r.counts()).isEqualTo(Map.of("assignment", 1, "aws-access-key-id", 1));
    }

    @Test
    void jsonEscapedQuotesAndNewlinesStayAroundTheSecret() {
        String in = "{\"command\":\"export TOKEN=\\\"s3cr3tV4lue9xQ\\\" && ./run.sh\",\"env\":{\"API_KEY\":\"Kq2Lw9Xz4Tb8Nc3V\"},"
                + "\"content\":\"DB_PASSWORD=Pq7xW2zK9mLs\\nNEXT=1\"}";
        assertThat(R.redact(in).text()).isEqualTo("{\"command\":\"export TOKEN=\\\"[REDACTED:assignment]\\\" && ./run.sh\","
                + "\"env\":{\"API_KEY\":\"[REDACTED:assignment]\"},\"content\":\"DB_PASSWORD=[REDACTED:assignment]\\nNEXT=1\"}");
    }

    @Test
    void aSecretAfterAnEscapedNewlineIsStillAToken() {
        assertThat(R.redact("{\"stdout\":\"ok\\nghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi\\n\"}").text())
                .isEqualTo("{\"stdout\":\"ok\\n[REDACTED:github-token]\\n\"}");
    }

    @Test
    void megabytesOfAwkwardTextStayFastAndDoNotOverflowTheStack() {
        StringBuilder b64 = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 1_000_000; i++) {
            b64.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        // Each input is a run a careless pattern would backtrack over quadratically (or recurse on,
        // one stack frame a character): at these sizes that takes minutes, or overflows the stack.
        List<String> inputs = List.of(b64.toString(), "password=".repeat(25_000), "api_key_".repeat(25_000),
                "token: ".repeat(25_000), "a.b".repeat(100_000), " ".repeat(1_000_000), "\\n".repeat(200_000),
                "-----BEGIN RSA PRIVATE KEY-----\n" + b64, "data:\\n  k: v".repeat(20_000), "https://u:".repeat(25_000),
                "eyJabcdefghijk.".repeat(20_000), "machine x.y\n".repeat(25_000), "--token ".repeat(25_000),
                "<add key=\"password\" ".repeat(10_000));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inputs.forEach(R::redact));
    }

    @Test
    void everyRuleHasACase() {
        List<String> tested = credentials().map(a -> (String) a.get()[0]).toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(R.ruleIds());
    }

    @Test
    void everyRuleHasANearMiss() {
        List<String> tested = nearMisses().map(a -> (String) a.get()[0]).toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(R.ruleIds());
    }
}
