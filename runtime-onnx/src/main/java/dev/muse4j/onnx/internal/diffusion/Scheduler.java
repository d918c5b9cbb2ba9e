package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;

/**
 * One denoising schedule for one generation, as a diffusers scheduler is after {@code set_timesteps(steps)}: the
 * timesteps fed to the UNet, the input scaling, and the update of the latents from the model's output (after
 * guidance). Steps are addressed by their index in {@link #timesteps()}, in order.
 *
 * <p>Arithmetic follows diffusers' float32 tensor code (same operations, same order), so that latents agree with
 * diffusers within float rounding. Latents are flat float arrays of {@code batch × channels × height × width};
 * the scheduler treats every element alike, so a batch of pictures is one array.
 *
 * <p>Not thread-safe, and stateful (multistep schedulers remember earlier outputs): one instance per generation,
 * made by {@link Schedulers#create}.
 */
public interface Scheduler {
  /**
   * The scheduler's name as requests give it ({@code euler}, {@code euler_a}, {@code ddim}, {@code dpmpp_2m},
   * {@code lcm}, {@code pndm}).
   *
   * @return the name
   */
  String name();

  /**
   * The timesteps the UNet is called with, one per model evaluation, in order (diffusers' {@code timesteps}; for
   * PNDM this includes the repeated first step). Values are exact integers for integer schedules and diffusers'
   * float32 values for sigma-interpolated ones; the engine converts to the UNet's input type.
   *
   * @return the timesteps; the caller must not change the array
   */
  float[] timesteps();

  /**
   * The factor the initial noise is multiplied by (diffusers' {@code init_noise_sigma}).
   *
   * @return the factor; 1 unless a scheduler says otherwise
   */
  default float initNoiseSigma() {
    return 1f;
  }

  /**
   * The factor the latents are multiplied by before they go into the UNet at a step (diffusers'
   * {@code scale_model_input}, which for every supported scheduler is a scalar: 1 for most, 1/√(σ²+1) for Euler).
   *
   * @param index the step's index in {@link #timesteps()}
   * @return the factor; 1 unless a scheduler says otherwise
   */
  default float inputScale(int index) {
    return 1f;
  }

  /**
   * One update: {@code sample} becomes diffusers' {@code prev_sample}, in place.
   *
   * @param index the step's index in {@link #timesteps()}
   * @param modelOutput the UNet's output for the step after guidance, as long as {@code sample}; not changed
   * @param sample the latents, updated in place
   * @param noise the generation's generator; ancestral and LCM steps draw {@code torch.randn(sample.shape)} from it
   *     in diffusers' order, others draw nothing
   */
  void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise);

  /**
   * The latents to decode after the last step: {@code sample} itself, except for LCM, whose pipeline decodes the
   * last step's denoised prediction.
   *
   * @param sample the latents after the last step
   * @return the latents to decode (may be {@code sample})
   */
  float[] finalLatents(float[] sample);

  /**
   * Noises clean latents to the level of a step, in place, as diffusers' {@code add_noise} does for img2img.
   *
   * @param original the clean latents, replaced by the noised ones
   * @param noise the noise, as long as {@code original}
   * @param index the step's index in {@link #timesteps()} (img2img starts there)
   */
  void addNoise(float[] original, float[] noise, int index);

  /**
   * Starts the schedule at a later step, as diffusers' img2img does ({@code set_begin_index}); multistep state is
   * reset.
   *
   * @param index the first step's index in {@link #timesteps()}
   */
  void beginAt(int index);
}
